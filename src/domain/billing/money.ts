/**
 * Money arithmetic. Every amount is an integer of the clinic currency's minor units (cents; yen for
 * JPY, which has none below it), never a float.
 *
 * The rounding rule — per line, half away from zero, on minor units:
 * 1. A line's base is quantity × unit price (exact).
 * 2. A percentage discount (basis points, 1000 = 10 %) is base × bp / 10 000, rounded half away
 *    from zero; a discount amount is then taken off as given. A line never goes below zero (nor
 *    above it, on a credit note): a bigger discount is refused.
 * 3. Tax exclusive: tax = amount × rate / 10 000, rounded; net = amount; gross = net + tax.
 *    Tax inclusive: net = amount × 10 000 / (10 000 + rate), rounded; tax = amount − net; gross = amount.
 * 4. The invoice's totals are the sums of its lines' net, tax and gross: nothing is rounded again,
 *    so the lines always add up to the total; the tax breakdown sums each rate's lines.
 * Half away from zero keeps a credit note (the same lines, negative) the exact opposite of its invoice.
 * The arithmetic runs on BigInt, so no product of an amount and a rate loses precision.
 */

/** `n / d` rounded half away from zero (d > 0). */
export function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (2n * (r < 0n ? -r : r) >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

export interface LineInput {
  quantity: number;
  unitPrice: number;
  /** Percentage discount in basis points (0–10 000). */
  discountBasisPoints?: number;
  /** Discount in minor units, taken off after the percentage (same sign as the line). */
  discountAmount?: number;
  /** The tax rate in basis points (0 for none). */
  taxBasisPoints?: number;
  taxInclusive?: boolean;
}

export interface LineAmounts {
  /** quantity × unit price, before discounts. */
  base: number;
  /** The discounts together. */
  discount: number;
  net: number;
  tax: number;
  gross: number;
}

/** Thrown when a line's discounts exceed its base (the caller turns it into a field issue). */
export class DiscountTooLarge extends Error {}

/** A line's amounts by the rounding rule above. */
export function lineAmounts(line: LineInput): LineAmounts {
  const base = BigInt(line.quantity) * BigInt(line.unitPrice);
  const sign = base < 0n ? -1n : 1n;
  const percent = divRound(base * BigInt(line.discountBasisPoints ?? 0), 10_000n);
  const discount = percent + sign * BigInt(Math.abs(line.discountAmount ?? 0));
  const amount = base - discount;
  if (amount * sign < 0n) throw new DiscountTooLarge('discount larger than the line');
  const rate = BigInt(line.taxBasisPoints ?? 0);
  let net: bigint;
  let tax: bigint;
  if (line.taxInclusive) {
    net = divRound(amount * 10_000n, 10_000n + rate);
    tax = amount - net;
  } else {
    net = amount;
    tax = divRound(amount * rate, 10_000n);
  }
  return {
    base: Number(base),
    discount: Number(discount),
    net: Number(net),
    tax: Number(tax),
    gross: Number(net + tax),
  };
}

export interface TaxedLine {
  net: number;
  tax: number;
  gross: number;
  taxName: string;
  taxBasisPoints: number;
  taxInclusive: boolean;
}

export interface Totals {
  subtotal: number;
  taxTotal: number;
  total: number;
  /** Per rate (name, basis points, inclusive), the lines' net and tax, in the order first seen. */
  taxes: { name: string; basisPoints: number; inclusive: boolean; net: number; tax: number }[];
}

/** The invoice's totals: the sums of its lines (nothing rounded again). */
export function totalsOf(lines: readonly TaxedLine[]): Totals {
  const taxes = new Map<string, Totals['taxes'][number]>();
  let subtotal = 0;
  let taxTotal = 0;
  let total = 0;
  for (const l of lines) {
    subtotal += l.net;
    taxTotal += l.tax;
    total += l.gross;
    if (l.taxBasisPoints === 0 && l.tax === 0) continue;
    const key = `${l.taxName}|${l.taxBasisPoints}|${l.taxInclusive}`;
    const entry = taxes.get(key) ?? {
      name: l.taxName,
      basisPoints: l.taxBasisPoints,
      inclusive: l.taxInclusive,
      net: 0,
      tax: 0,
    };
    entry.net += l.net;
    entry.tax += l.tax;
    taxes.set(key, entry);
  }
  return { subtotal, taxTotal, total, taxes: [...taxes.values()] };
}

/** Whether `code` is an ISO 4217 currency this runtime knows. */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const known = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('currency');
  return known ? known.includes(code) : true;
}

/** The digits of a currency's minor unit, from Intl (EUR 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** An amount of minor units as the locale writes it (`formatMoney(12345, 'EUR', 'en')` → "€123.45"). */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
}
