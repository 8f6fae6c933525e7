import { stringify } from 'csv-stringify/sync';
import { minorDigits } from '../billing/index.ts';
import type { ReportColumn } from './report.ts';
import type { ReportResult } from './reports.service.ts';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
 * return first) is written with a leading apostrophe, so a practitioner or service named
 * `=HYPERLINK(…)` opens as text (OWASP "CSV injection"). Numbers are ours and stay numbers.
 */
export const safeCell = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const header = (c: ReportColumn, currency: string) =>
  c.kind === 'money' ? `${c.label} (${currency})` : c.kind === 'percent' ? `${c.label} (%)` : c.label;

/**
 * A report as CSV (RFC 4180, UTF-8, csv-stringify): a header row of the column labels, then one
 * row per report row. Money in the currency's major units with its minor digits (60.00 EUR,
 * 6000 JPY), minutes and counts as integers, percentages to one decimal.
 */
export function reportCsv(report: ReportResult): string {
  const digits = minorDigits(report.currency);
  const cell = (c: ReportColumn, v: string | number | undefined) => {
    if (c.kind === 'text') return safeCell(String(v ?? ''));
    const n = Number(v ?? 0);
    return c.kind === 'money' ? (n / 10 ** digits).toFixed(digits) : String(n);
  };
  return stringify([
    report.columns.map((c) => header(c, report.currency)),
    ...report.rows.map((row) => report.columns.map((c) => cell(c, row[c.key]))),
  ]);
}
