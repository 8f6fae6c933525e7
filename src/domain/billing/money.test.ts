import { describe, expect, it } from 'vitest';
import { DiscountTooLarge, divRound, formatMoney, lineAmounts, minorDigits, totalsOf } from './money.ts';

/* The rounding rule (money.ts): per line, half away from zero, on minor units; totals are sums. */
describe('money', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [-4n, 3n, -1n],
    [15n, 10n, 2n],
    [14n, 10n, 1n],
    [-15n, 10n, -2n],
    [0n, 7n, 0n],
  ])('divRound(%s, %s) = %s', (n, d, want) => expect(divRound(n, d)).toBe(want));

  const cases: [string, Parameters<typeof lineAmounts>[0], { net: number; tax: number; gross: number }][] = [
    ['no tax', { quantity: 1, unitPrice: 6000 }, { net: 6000, tax: 0, gross: 6000 }],
    [
      'exclusive 20 %',
      { quantity: 1, unitPrice: 6000, taxBasisPoints: 2000 },
      { net: 6000, tax: 1200, gross: 7200 },
    ],
    // 999 × 5.5 % = 54.945 → 55
    [
      'exclusive rounds half up',
      { quantity: 1, unitPrice: 999, taxBasisPoints: 550 },
      { net: 999, tax: 55, gross: 1054 },
    ],
    // 1000 × 0.5 % = 5 exactly; 1010 × 0.5 % = 5.05 → 5; 1100 × 0.05 % = 0.55 → 1
    [
      'exclusive exact',
      { quantity: 1, unitPrice: 1000, taxBasisPoints: 50 },
      { net: 1000, tax: 5, gross: 1005 },
    ],
    [
      'exclusive half away',
      { quantity: 1, unitPrice: 1100, taxBasisPoints: 5 },
      { net: 1100, tax: 1, gross: 1101 },
    ],
    // 1200 / 1.2 = 1000
    [
      'inclusive 20 %',
      { quantity: 1, unitPrice: 1200, taxBasisPoints: 2000, taxInclusive: true },
      { net: 1000, tax: 200, gross: 1200 },
    ],
    // 1000 / 1.2 = 833.33 → 833, tax 167
    [
      'inclusive rounds net',
      { quantity: 1, unitPrice: 1000, taxBasisPoints: 2000, taxInclusive: true },
      { net: 833, tax: 167, gross: 1000 },
    ],
    // 3 × 333 = 999 × 10 % exclusive = 99.9 → 100 (per line, not per unit: 3 × 33.3 → 99)
    [
      'quantity, per line',
      { quantity: 3, unitPrice: 333, taxBasisPoints: 1000 },
      { net: 999, tax: 100, gross: 1099 },
    ],
    // 2 × 5000 = 10000 − 15 % = 8500, + 20 % = 1700
    [
      'percent discount',
      { quantity: 2, unitPrice: 5000, discountBasisPoints: 1500, taxBasisPoints: 2000 },
      { net: 8500, tax: 1700, gross: 10200 },
    ],
    // 999 − 33.3 % = 999 − 332.667 → 333 off = 666
    [
      'percent discount rounds',
      { quantity: 1, unitPrice: 999, discountBasisPoints: 3330 },
      { net: 666, tax: 0, gross: 666 },
    ],
    [
      'amount discount',
      { quantity: 1, unitPrice: 6000, discountAmount: 500, taxBasisPoints: 2000 },
      { net: 5500, tax: 1100, gross: 6600 },
    ],
    [
      'both discounts, inclusive',
      {
        quantity: 1,
        unitPrice: 12000,
        discountBasisPoints: 1000,
        discountAmount: 800,
        taxBasisPoints: 2000,
        taxInclusive: true,
      },
      { net: 8333, tax: 1667, gross: 10000 },
    ],
    [
      'full discount',
      { quantity: 1, unitPrice: 6000, discountBasisPoints: 10000, taxBasisPoints: 2000 },
      { net: 0, tax: 0, gross: 0 },
    ],
    // JPY: minor unit = yen. 1 × ¥3,333 at 10 % = 333.3 → 333
    [
      'zero-decimal currency (JPY)',
      { quantity: 1, unitPrice: 3333, taxBasisPoints: 1000 },
      { net: 3333, tax: 333, gross: 3666 },
    ],
    [
      'JPY inclusive 8 %',
      { quantity: 1, unitPrice: 1000, taxBasisPoints: 800, taxInclusive: true },
      { net: 926, tax: 74, gross: 1000 },
    ],
    // A credit note line is the exact opposite (half away from zero is symmetric).
    [
      'credit line exclusive',
      { quantity: 1, unitPrice: -999, taxBasisPoints: 550 },
      { net: -999, tax: -55, gross: -1054 },
    ],
    [
      'credit line inclusive',
      { quantity: -1, unitPrice: 1000, taxBasisPoints: 2000, taxInclusive: true },
      { net: -833, tax: -167, gross: -1000 },
    ],
    [
      'credit line with discount',
      { quantity: 1, unitPrice: -999, discountBasisPoints: 3330 },
      { net: -666, tax: 0, gross: -666 },
    ],
    [
      'big amounts stay exact',
      { quantity: 10_000, unitPrice: 9_999_999_999, taxBasisPoints: 1999 },
      { net: 99_999_999_990_000, tax: 19_989_999_998_001, gross: 119_989_999_988_001 },
    ],
  ];
  it.each(cases)('line: %s', (_, line, want) => expect(lineAmounts(line)).toMatchObject(want));

  it('refuses a discount larger than the line', () => {
    expect(() => lineAmounts({ quantity: 1, unitPrice: 1000, discountAmount: 1001 })).toThrow(
      DiscountTooLarge,
    );
    expect(() => lineAmounts({ quantity: 1, unitPrice: -1000, discountAmount: 1001 })).toThrow(
      DiscountTooLarge,
    );
  });

  it('mixed rates: totals are the sums of the lines, with a breakdown per rate', () => {
    const vat20 = { taxName: 'VAT', taxBasisPoints: 2000, taxInclusive: false };
    const vat55 = { taxName: 'VAT reduced', taxBasisPoints: 550, taxInclusive: false };
    const none = { taxName: '', taxBasisPoints: 0, taxInclusive: false };
    const lines = [
      { ...vat20, ...lineAmounts({ quantity: 1, unitPrice: 6000, taxBasisPoints: 2000 }) },
      { ...vat55, ...lineAmounts({ quantity: 3, unitPrice: 999, taxBasisPoints: 550 }) },
      { ...vat20, ...lineAmounts({ quantity: 1, unitPrice: 333, taxBasisPoints: 2000 }) },
      { ...none, ...lineAmounts({ quantity: 1, unitPrice: 250 }) },
    ];
    // 2997 × 5.5 % = 164.835 → 165; 333 × 20 % = 66.6 → 67
    expect(totalsOf(lines)).toEqual({
      subtotal: 6000 + 2997 + 333 + 250,
      taxTotal: 1200 + 165 + 67,
      total: 7200 + 3162 + 400 + 250,
      taxes: [
        { name: 'VAT', basisPoints: 2000, inclusive: false, net: 6333, tax: 1267 },
        { name: 'VAT reduced', basisPoints: 550, inclusive: false, net: 2997, tax: 165 },
      ],
    });
  });

  it.each([
    ['EUR', 2, 12345, '€123.45'],
    ['JPY', 0, 12345, '¥12,345'],
    ['BHD', 3, 12345, 'BHD 12.345'],
    ['GBP', 2, -500, '-£5.00'],
  ])('%s has %i minor digits: %i → %s', (currency, digits, minor, text) => {
    expect(minorDigits(currency)).toBe(digits);
    expect(formatMoney(minor, currency, 'en').replace(/\u00a0/g, ' ')).toBe(text);
  });
});
