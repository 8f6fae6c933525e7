import { describe, expect, it } from 'vitest';
import { basisPointsOf, decimalOf, minorUnitsOf, percentOf } from './money-text.ts';

/** Amounts and rates typed in the staff forms ↔ minor units and basis points, exactly. */
describe('money as typed', () => {
  it.each([
    ['45.50', 'EUR', 4550],
    ['45,5', 'EUR', 4550],
    ['45', 'EUR', 4500],
    ['45.', 'EUR', 4500],
    [' 1 200.05 ', 'EUR', 120005],
    ['0.01', 'GBP', 1],
    ['0', 'CHF', 0],
    ['4500', 'JPY', 4500],
    ['1.234', 'BHD', 1234],
    ['9999999999999', 'EUR', 999999999999900],
  ])('%j in %s is %i minor units', (text, currency, minor) => {
    expect(minorUnitsOf(text, currency)).toBe(minor);
  });

  it.each([
    ['45.505', 'EUR', 'At most 2 decimals in EUR (45.50).'],
    ['45.5', 'JPY', 'Write an amount in JPY such as 4500.'],
    ['-3', 'EUR', 'Write an amount in EUR such as 45.50.'],
    ['4e2', 'EUR', 'Write an amount in EUR such as 45.50.'],
    ['€45', 'EUR', 'Write an amount in EUR such as 45.50.'],
    ['1,200.50', 'EUR', 'Write an amount in EUR such as 45.50.'],
    ['', 'EUR', 'Write an amount in EUR such as 45.50.'],
    ['1.2345', 'BHD', 'At most 3 decimals in BHD (45.500).'],
  ])('%j in %s is refused', (text, currency, error) => {
    expect(minorUnitsOf(text, currency)).toEqual({ error });
  });

  it.each([
    [4550, 'EUR', '45.50'],
    [5, 'EUR', '0.05'],
    [-1999, 'GBP', '-19.99'],
    [4500, 'JPY', '4500'],
    [1234, 'BHD', '1.234'],
  ])('%i minor units of %s are shown as %s (and read back)', (minor, currency, text) => {
    expect(decimalOf(minor, currency)).toBe(text);
    if (minor >= 0) expect(minorUnitsOf(text, currency)).toBe(minor);
  });

  it.each([
    ['20', 2000, '20'],
    ['5,5', 550, '5.5'],
    ['7.7 %', 770, '7.7'],
    ['12.34', 1234, '12.34'],
    ['0', 0, '0'],
    ['100', 10000, '100'],
    ['2.05', 205, '2.05'],
  ])('%j % is %i basis points, shown as %s', (text, bp, shown) => {
    expect(basisPointsOf(text)).toBe(bp);
    expect(percentOf(bp)).toBe(shown);
  });

  it.each(['100.01', '-5', 'twenty', '5.555', ''])('%j % is refused', (text) => {
    expect(basisPointsOf(text)).toEqual({ error: 'A percentage from 0 to 100, such as 20 or 5.5.' });
  });
});
