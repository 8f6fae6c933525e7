import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.ts';

const CODE_SHAPE =
  /^[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}$/;

describe('newRecoveryCodes', () => {
  it('makes ten well-formed codes by default', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(CODE_SHAPE);
  });

  it('never uses look-alike characters', () => {
    const all = newRecoveryCodes(200).join('');
    expect(all).not.toMatch(/[01ilo]/);
  });

  it('makes distinct codes, across calls too', () => {
    const codes = [...newRecoveryCodes(500), ...newRecoveryCodes(500)];
    expect(new Set(codes).size).toBe(1000);
  });

  it('honours count and rejects a nonsensical one', () => {
    expect(newRecoveryCodes(3)).toHaveLength(3);
    expect(() => newRecoveryCodes(0)).toThrow(RangeError);
    expect(() => newRecoveryCodes(2.5)).toThrow(RangeError);
  });
});

describe('normalizeRecoveryCode and hashRecoveryCode', () => {
  it('treats case, spaces and dashes as insignificant', () => {
    expect(normalizeRecoveryCode('K7M2 9XQ4 P3TA')).toBe('k7m29xq4p3ta');
    expect(normalizeRecoveryCode(' k7m2-9xq4-p3ta\n')).toBe('k7m29xq4p3ta');
    expect(hashRecoveryCode('K7M2 9XQ4 P3TA')).toBe(hashRecoveryCode('k7m2-9xq4-p3ta'));
  });

  it('is SHA-256 hex of the normalized code', () => {
    // printf k7m29xq4p3ta | sha256sum
    expect(hashRecoveryCode('k7m2-9xq4-p3ta')).toBe(
      '134b3649877b8499b6175ef56a383f63f594985424a8af080bf664cee3b2aa26',
    );
    expect(hashRecoveryCode('k7m2-9xq4-p3ta')).not.toBe(hashRecoveryCode('k7m2-9xq4-p3tb'));
  });
});
