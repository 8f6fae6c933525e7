import { minorDigits } from './money.ts';

/**
 * Amounts and rates as people type and read them: "45.50" in the clinic currency ↔ 4550 minor
 * units, "20" or "5.5" % ↔ 2000 or 550 basis points. Exact (digit strings, never floats); a comma
 * is taken as the decimal point ("45,50"); spaces are ignored; thousands separators are not.
 */

/** Minor units of `text` in `currency`, or an English message saying how to write it. */
export function minorUnitsOf(text: string, currency: string): number | { error: string } {
  const digits = minorDigits(currency);
  const written = text.replace(/\s+/g, '').replace(',', '.');
  const example = digits ? `45.${'50'.padEnd(digits, '0')}` : '4500';
  const match = /^(\d{1,13})(?:\.(\d*))?$/.exec(written);
  if (!match || (match[2] !== undefined && !digits))
    return { error: `Write an amount in ${currency} such as ${example}.` };
  const fraction = match[2] ?? '';
  if (fraction.length > digits)
    return { error: `At most ${digits} decimal${digits === 1 ? '' : 's'} in ${currency} (${example}).` };
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** An amount of minor units as the form shows it back ("45.50"; JPY "4500"), no currency sign. */
export function decimalOf(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (!digits) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Basis points of a percentage as typed ("20", "5.5", "7,7"), or an English message. */
export function basisPointsOf(text: string): number | { error: string } {
  const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text.replace(/\s+|%/g, '').replace(',', '.'));
  const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : NaN;
  if (!(bp >= 0 && bp <= 10_000)) return { error: 'A percentage from 0 to 100, such as 20 or 5.5.' };
  return bp;
}

/** Basis points as a percentage to read or edit: 2000 → "20", 550 → "5.5", 1234 → "12.34". */
export const percentOf = (bp: number): string =>
  (bp % 100 === 0
    ? String(bp / 100)
    : `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`
  ).replace(/(\.\d)0$/, '$1');
