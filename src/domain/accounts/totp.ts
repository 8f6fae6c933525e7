/**
 * Time-based one-time passwords (RFC 6238) for staff sign-in (its QR code: lib/qr.ts). Pure
 * functions: the caller passes "now" and stores the last accepted step.
 *
 * The HOTP maths comes from `otpauth` (pure JS: node:crypto under Node, bundled noble-hashes under
 * Bun): no native addon, nothing fetched at run time.
 */
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

// The only parameters every authenticator app honours; others are silently ignored by some apps,
// which then show codes that never match.
const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
/** Steps either side of "now" that still match: absorbs clock skew and typing time. */
const DRIFT_STEPS = 1;
const CODE_PATTERN = /^\d{6}$/;

/** A new shared secret: 20 random bytes (RFC 4226's recommended 160 bits), base32 without padding. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The `otpauth://totp/…` key URI an authenticator app scans: issuer and account email
 * percent-encoded in the label and repeated as the `issuer` parameter, SHA1, 6 digits, 30 s.
 *
 * @throws Error if the issuer or email contains a colon: the key URI format reserves it as the
 *   label separator and some apps split on it even when encoded.
 */
export function totpUri(input: { secret: string; accountEmail: string; issuer: string }): string {
  if (input.issuer.includes(':') || input.accountEmail.includes(':')) {
    throw new Error('TOTP issuer and account email must not contain ":"');
  }
  return new TOTP({
    issuer: input.issuer,
    label: input.accountEmail,
    secret: Secret.fromBase32(input.secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
  }).toString();
}

/** Why a code was refused. */
export type TotpFailure = 'malformed' | 'wrong' | 'reused';

/**
 * Checks a 6-digit code against the secret at `now`, accepting one step of drift either way.
 * On success returns the 30-s step that matched; the caller must store it as `lastUsedStep` so
 * that a code (or any earlier one) cannot be replayed. Spaces are ignored ("123 456").
 *
 * @throws TypeError if `secret` is not base32, RangeError if `now` is an invalid date: both are
 *   bugs or corrupt data, not user errors.
 */
export function verifyTotp(input: {
  secret: string;
  code: string;
  now: Date;
  lastUsedStep: number | null;
}): { ok: true; step: number } | { ok: false; reason: TotpFailure } {
  const code = input.code.replace(/\s+/g, '');
  if (!CODE_PATTERN.test(code)) return { ok: false, reason: 'malformed' };

  const ms = input.now.getTime();
  if (Number.isNaN(ms)) throw new RangeError('verifyTotp: invalid date');
  const secret = Secret.fromBase32(input.secret);
  const current = Math.floor(ms / 1000 / PERIOD_SECONDS);
  const given = Buffer.from(code);

  // Check every step in the window without stopping early, so timing says nothing about which
  // (if any) matched. Take the earliest unused match: it leaves later steps free for the next code.
  let accepted: number | null = null;
  let matchedUsed = false;
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    const expected = Buffer.from(
      HOTP.generate({ secret, algorithm: ALGORITHM, digits: DIGITS, counter: step }),
    );
    if (!timingSafeEqual(given, expected)) continue;
    if (input.lastUsedStep !== null && step <= input.lastUsedStep) matchedUsed = true;
    else accepted ??= step;
  }

  if (accepted !== null) return { ok: true, step: accepted };
  return { ok: false, reason: matchedUsed ? 'reused' : 'wrong' };
}
