import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpUri, verifyTotp } from './totp.ts';

// RFC 6238 appendix B, SHA1: the secret is the ASCII bytes "12345678901234567890" (base32 below);
// the 6-digit codes are the last six digits of the published 8-digit ones.
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '287082'], // 94287082
  [1111111109, '081804'], // 07081804
  [1111111111, '050471'], // 14050471
  [1234567890, '005924'], // 89005924
  [2000000000, '279037'], // 69279037
  [20000000000, '353130'], // 65353130
];

const at = (seconds: number) => new Date(seconds * 1000);
const stepOf = (seconds: number) => Math.floor(seconds / 30);

describe('verifyTotp', () => {
  it('uses the RFC secret', () => {
    expect(Secret.fromBase32(RFC_SECRET_BASE32).latin1).toBe('12345678901234567890');
  });

  it.each(RFC_VECTORS)('matches the RFC 6238 SHA1 vector at T=%i', (seconds, code) => {
    expect(verifyTotp({ secret: RFC_SECRET_BASE32, code, now: at(seconds), lastUsedStep: null })).toEqual({
      ok: true,
      step: stepOf(seconds),
    });
  });

  const [T, CODE] = [1111111109, '081804'] as const;
  const STEP = stepOf(T);

  it('accepts one step of drift either way and reports the step that matched', () => {
    for (const drift of [-1, 1]) {
      const now = at(T + drift * 30);
      expect(verifyTotp({ secret: RFC_SECRET_BASE32, code: CODE, now, lastUsedStep: null })).toEqual({
        ok: true,
        step: STEP,
      });
    }
  });

  it('rejects two steps of drift either way as wrong', () => {
    for (const drift of [-2, 2]) {
      const now = at(T + drift * 30);
      expect(verifyTotp({ secret: RFC_SECRET_BASE32, code: CODE, now, lastUsedStep: null })).toEqual({
        ok: false,
        reason: 'wrong',
      });
    }
  });

  it('rejects a code for an already used step, or an earlier one, as reused', () => {
    const base = { secret: RFC_SECRET_BASE32, code: CODE, now: at(T) };
    expect(verifyTotp({ ...base, lastUsedStep: STEP })).toEqual({ ok: false, reason: 'reused' });
    expect(verifyTotp({ ...base, lastUsedStep: STEP + 1 })).toEqual({ ok: false, reason: 'reused' });
    expect(verifyTotp({ ...base, lastUsedStep: STEP - 1 })).toEqual({ ok: true, step: STEP });
  });

  it('rejects a wrong code', () => {
    expect(verifyTotp({ secret: RFC_SECRET_BASE32, code: '000000', now: at(T), lastUsedStep: null })).toEqual(
      { ok: false, reason: 'wrong' },
    );
  });

  it('ignores spaces in the code', () => {
    for (const code of ['081 804', ' 081804 ', '0 8 1 8 0 4']) {
      expect(verifyTotp({ secret: RFC_SECRET_BASE32, code, now: at(T), lastUsedStep: null }).ok).toBe(true);
    }
  });

  it.each(['', '08180', '0818045', '081-804', '08180a', '٠٨١٨٠٤', '94287082'])(
    'rejects %j as malformed',
    (code) => {
      expect(verifyTotp({ secret: RFC_SECRET_BASE32, code, now: at(T), lastUsedStep: null })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    },
  );

  it('throws on an invalid date rather than guessing', () => {
    expect(() =>
      verifyTotp({ secret: RFC_SECRET_BASE32, code: CODE, now: new Date(Number.NaN), lastUsedStep: null }),
    ).toThrow(RangeError);
  });
});

describe('newTotpSecret', () => {
  it('is 20 random bytes in base32', () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(a).not.toBe(b);
  });

  it('verifies a code an authenticator app would show for it', () => {
    const secret = newTotpSecret();
    const now = at(1_700_000_000);
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now.getTime() });
    expect(verifyTotp({ secret, code, now, lastUsedStep: null })).toEqual({
      ok: true,
      step: stepOf(1_700_000_000),
    });
  });
});

describe('totpUri', () => {
  it('encodes issuer and email in the label and the issuer parameter', () => {
    const uri = totpUri({
      secret: RFC_SECRET_BASE32,
      accountEmail: 'ana+staff@example.org',
      issuer: 'Clinic Box & Co',
    });
    expect(uri.startsWith('otpauth://totp/Clinic%20Box%20%26%20Co:ana%2Bstaff%40example.org?')).toBe(true);
    const params = new URL(uri).searchParams;
    expect(params.get('issuer')).toBe('Clinic Box & Co');
    expect(params.get('secret')).toBe(RFC_SECRET_BASE32);
    expect(params.get('algorithm')).toBe('SHA1');
    expect(params.get('digits')).toBe('6');
    expect(params.get('period')).toBe('30');
  });

  it('refuses a colon, which the key URI format reserves as the label separator', () => {
    expect(() => totpUri({ secret: RFC_SECRET_BASE32, accountEmail: 'a@b.c', issuer: 'A:B' })).toThrow();
  });
});
