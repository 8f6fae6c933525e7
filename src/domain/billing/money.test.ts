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

  /** A case: its name, the line (`quantity` × `unitPrice`, then `rest`), and the net, tax and gross it makes. */
  type Rest = Omit<Parameters<typeof lineAmounts>[0], 'quantity' | 'unitPrice'>;
  const lineCase = (
    name: string,
    quantity: number,
    unitPrice: number,
    rest: Rest,
    net: number,
    tax: number,
    gross: number,
  ) => [name, { quantity, unitPrice, ...rest }, { net, tax, gross }] as const;
  const cases = [
    lineCase('no tax', 1, 6000, {}, 6000, 0, 6000),
    lineCase('exclusive 20 %', 1, 6000, { taxBasisPoints: 2000 }, 6000, 1200, 7200),
    // 999 × 5.5 % = 54.945 → 55
    lineCase('exclusive rounds half up', 1, 999, { taxBasisPoints: 550 }, 999, 55, 1054),
    // 1000 × 0.5 % = 5 exactly; 1010 × 0.5 % = 5.05 → 5; 1100 × 0.05 % = 0.55 → 1
    lineCase('exclusive exact', 1, 1000, { taxBasisPoints: 50 }, 1000, 5, 1005),
    lineCase('exclusive half away', 1, 1100, { taxBasisPoints: 5 }, 1100, 1, 1101),
    // 1200 / 1.2 = 1000
    lineCase('inclusive 20 %', 1, 1200, { taxBasisPoints: 2000, taxInclusive: true }, 1000, 200, 1200),
    // 1000 / 1.2 = 833.33 → 833, tax 167
    lineCase('inclusive rounds net', 1, 1000, { taxBasisPoints: 2000, taxInclusive: true }, 833, 167, 1000),
    // 3 × 333 = 999 × 10 % exclusive = 99.9 → 100 (per line, not per unit: 3 × 33.3 → 99)
    lineCase('quantity, per line', 3, 333, { taxBasisPoints: 1000 }, 999, 100, 1099),
    // 2 × 5000 = 10000 − 15 % = 8500, + 20 % = 1700
    lineCase(
      'percent discount',
      2,
      5000,
      { discountBasisPoints: 1500, taxBasisPoints: 2000 },
      8500,
      1700,
      10200,
    ),
    // 999 − 33.3 % = 999 − 332.667 → 333 off = 666
    lineCase('percent discount rounds', 1, 999, { discountBasisPoints: 3330 }, 666, 0, 666),
    lineCase('amount discount', 1, 6000, { discountAmount: 500, taxBasisPoints: 2000 }, 5500, 1100, 6600),
    lineCase(
      'both discounts, inclusive',
      1,
      12000,
      { discountBasisPoints: 1000, discountAmount: 800, taxBasisPoints: 2000, taxInclusive: true },
      8333,
      1667,
      10000,
    ),
    lineCase('full discount', 1, 6000, { discountBasisPoints: 10000, taxBasisPoints: 2000 }, 0, 0, 0),
    // JPY: minor unit = yen. 1 × ¥3,333 at 10 % = 333.3 → 333
    lineCase('zero-decimal currency (JPY)', 1, 3333, { taxBasisPoints: 1000 }, 3333, 333, 3666),
    lineCase('JPY inclusive 8 %', 1, 1000, { taxBasisPoints: 800, taxInclusive: true }, 926, 74, 1000),
    // A credit note line is the exact opposite (half away from zero is symmetric).
    lineCase('credit line exclusive', 1, -999, { taxBasisPoints: 550 }, -999, -55, -1054),
    lineCase(
      'credit line inclusive',
      -1,
      1000,
      { taxBasisPoints: 2000, taxInclusive: true },
      -833,
      -167,
      -1000,
    ),
    lineCase('credit line with discount', 1, -999, { discountBasisPoints: 3330 }, -666, 0, -666),
    lineCase(
      'big amounts stay exact',
      10_000,
      9_999_999_999,
      { taxBasisPoints: 1999 },
      99_999_999_990_000,
      19_989_999_998_001,
      119_989_999_988_001,
    ),
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
