import { randomBytes, randomUUID } from 'node:crypto';

/** Random, unguessable identifier for rows (UUID v4). */
export const newId = (): string => randomUUID();

/** A random token of `bytes` bytes, base64url-encoded (≥ 16 bytes = 128 bits for secrets). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
