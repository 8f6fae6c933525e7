/**
 * One-time recovery codes for staff who lose their authenticator: shown once, stored only as
 * hashes, each usable once (the caller deletes or marks the hash when it matches).
 */
import { createHash, randomInt } from 'node:crypto';

// Lowercase letters and digits without the look-alikes 0/o, 1/l/i: 31 symbols, read aloud and
// typed from paper without confusion.
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const GROUPS = 3;
const GROUP_LENGTH = 4;
// 12 symbols × log2(31) ≈ 59.4 bits per code.

/**
 * `count` new recovery codes like `k7m2-9xq4-p3ta`: three groups of four symbols from an
 * unambiguous 31-symbol alphabet, about 59 bits of CSPRNG entropy each, all distinct.
 */
export function newRecoveryCodes(count = 10): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  const codes = new Set<string>();
  // A repeat at 59 bits is practically impossible, but the caller relies on distinct codes.
  while (codes.size < count) codes.add(newRecoveryCode());
  return [...codes];
}

function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    // randomInt draws without modulo bias.
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/**
 * The canonical form of a code as typed: lowercase, without whitespace or dashes, so
 * "K7M2 9XQ4 P3TA" and "k7m2-9xq4-p3ta" are the same code.
 */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

/**
 * SHA-256 hex of the normalized code, for storage and lookup. A fast unsalted hash is enough
 * here (unlike passwords): each code has ~59 random bits, far beyond offline brute force, and a
 * deterministic hash lets the caller find the matching row by equality.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}
