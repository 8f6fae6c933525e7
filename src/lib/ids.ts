import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Random, unguessable identifier for rows (UUID v4). */
export const newId = (): string => randomUUID();

/** A random token of `bytes` bytes, base64url-encoded (≥ 16 bytes = 128 bits for secrets). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/**
 * Secrets handed to a browser or a calendar app (session cookies, one-time links, feed URLs) are
 * 256-bit random tokens; the database keeps only their SHA-256 (`tokenId`), so a copy of the
 * database cannot be used to get in.
 */
export const newSecretToken = (): string => randomToken(32);
export const tokenId = (token: string): string => createHash('sha256').update(token).digest('hex');
