import { describe, expect, it } from 'vitest';
import { countSegments } from './segments.ts';

describe('SMS segments', () => {
  it.each([
    ['', 'GSM-7', 0, 0],
    ['123456 is your code', 'GSM-7', 19, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['€'.repeat(80), 'GSM-7', 160, 1], // extension characters take two septets
    ['€'.repeat(81), 'GSM-7', 162, 2],
    ['Rendez-vous à 9h, à demain', 'GSM-7', 26, 1], // à is in the basic alphabet
    ['Léa, votre rendez-vous est confirmé', 'GSM-7', 35, 1],
    ['à bientôt', 'UCS-2', 9, 1], // ô is not
    ['Zoë', 'UCS-2', 3, 1], // ë is not GSM-7
    ['ż'.repeat(70), 'UCS-2', 70, 1],
    ['ż'.repeat(71), 'UCS-2', 71, 2],
    ['👍', 'UCS-2', 2, 1], // one emoji, two UTF-16 code units
  ])('%j → %s, %i units, %i segments', (text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });
});
