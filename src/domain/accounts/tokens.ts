import { createHash } from 'node:crypto';
import { randomToken } from '../../lib/ids.ts';

/**
 * Secrets handed to a browser (session cookies, one-time links) are 256-bit random tokens; the
 * database keeps only their SHA-256, so a copy of the database cannot be used to sign in.
 */
export const newSecretToken = (): string => randomToken(32);
export const tokenId = (token: string): string => createHash('sha256').update(token).digest('hex');
