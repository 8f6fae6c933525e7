import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { validationFailed } from '../../lib/errors.ts';

/**
 * Staff passwords: scrypt through node:crypto (same hashes under Node, Bun and the binary, no
 * native addon), run asynchronously on the thread pool so sign-ins never block the event loop.
 * Default cost N=2^15, r=8, p=3 — an OWASP-listed setting using 32 MiB per hash, chosen over
 * N=2^17 (128 MiB) so a handful of simultaneous sign-ins cannot exhaust a small server's memory.
 * The parameters are stored in each hash, so they can be raised later without breaking old ones.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const defaultCost: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, cost: ScryptCost) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = {
      N: cost.N,
      r: cost.r,
      p: cost.p,
      maxmem: 256 * cost.N * cost.r + 1024 * 1024,
    };
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string, cost: ScryptCost = defaultCost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, verified against when the account is unknown, for similar timing. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (cost: ScryptCost = defaultCost) => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), cost);
  return dummyHash;
};

// ~30,000 common passwords: loaded on first use, not at start (start-up time and idle memory).
let common: Promise<Set<string>> | undefined;
const commonPasswords = () => {
  common ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())),
  );
  return common;
};

/**
 * NIST SP 800-63B rules: at least 12 characters, at most 200, not a commonly used password,
 * and no composition rules. Returns the problem, or null when the password is acceptable.
 */
export async function passwordProblem(
  password: string,
  context: { email?: string; name?: string } = {},
): Promise<string | null> {
  const length = [...password].length;
  if (length < 12) return 'Use at least 12 characters. A few unrelated words make a good password.';
  if (length > 200) return 'Use at most 200 characters.';
  const lower = password.toLowerCase();
  const list = await commonPasswords();
  if (list.has(lower) || list.has(lower.replace(/\d+$/, '')))
    return 'This password is too common. Choose another.';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local))
    return 'Do not use your email address in your password.';
  if (/^(.)\1+$/.test(password)) return 'This password is too easy to guess. Choose another.';
  return null;
}

/**
 * The hash of a new password after `passwordProblem`'s checks (null when none is given: an
 * invited member chooses theirs later).
 *
 * @throws validation_failed on `password` with the problem as the message.
 */
export async function hashValidPassword(
  password: string | undefined,
  context: { email: string; name: string },
  cost?: ScryptCost,
): Promise<string | null> {
  const problem = password === undefined ? null : await passwordProblem(password, context);
  if (problem) throw validationFailed([{ path: 'password', message: problem }], { text: problem });
  return password === undefined ? null : hashPassword(password, cost);
}
