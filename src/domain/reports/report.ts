import type { DbCtx } from '../../db/client.ts';
import type { ReportScope } from '../../db/report-sql.ts';

/** How a column's numbers read: a count, money in minor units, a percentage, minutes, or text. */
export type ColumnKind = 'text' | 'count' | 'money' | 'percent' | 'minutes';

export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

/** One row of a report: a value per column key. */
export type ReportRow = Record<string, string | number>;

/** How a report is drawn: bars (side by side or stacked) or a line, of some columns over the first. */
export interface ChartSpec {
  kind: 'bars' | 'stacked' | 'line';
  /** The columns drawn, one series each. */
  series: string[];
}

/** What a report's query may look up besides its own area's tables (through the areas' services). */
export interface ReportLookups {
  practitionerNames(): Promise<Map<string, string>>;
  serviceNames(): Promise<Map<string, string>>;
  smsMonthlyLimit: number;
}

/** A report: its name (the URL's), title, columns, chart, and its aggregate query. */
export interface ReportDefinition {
  name: string;
  title: string;
  /** What the figures are, in a sentence under the title. */
  description: string;
  /** Clinic-wide figures no practitioner's share can be cut from (admins only). */
  adminOnly?: boolean;
  /** Holds money (the CSV and the page format it in the clinic's currency). */
  columns: ReportColumn[];
  chart: ChartSpec;
  rows(ctx: DbCtx, scope: ReportScope, lookups: ReportLookups): Promise<ReportRow[]>;
}

/** The first column of the weekly reports: the Monday each row's week starts. */
export const weekColumn: ReportColumn = { key: 'week', label: 'Week of', kind: 'text' };
/** The first column of the per-practitioner reports. */
export const practitionerColumn: ReportColumn = { key: 'practitioner', label: 'Practitioner', kind: 'text' };

/** A percentage of `part` in `whole`, to one decimal (0 when there is no whole). */
export const percent = (part: number, whole: number): number =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;

/** Sorts rows by a text column (the table and chart read in that order). */
export const byKey =
  (key: string) =>
  (a: ReportRow, b: ReportRow): number =>
    String(a[key]).localeCompare(String(b[key]));

/**
 * One row per key, in the order of `keys` (every band, day or method shows, with zeros): its
 * `label` columns, then the `fields` of the query's sum for that key (`keyOf`), 0 where it had none.
 */
export function keyedRows<S extends Record<F, number>, F extends keyof S & string>(
  keys: readonly string[],
  sums: readonly S[],
  keyOf: (sum: S) => string,
  label: (key: string) => ReportRow,
  fields: readonly F[],
): ReportRow[] {
  const found = new Map(sums.map((s) => [keyOf(s), s]));
  return keys.map((key) => ({
    ...label(key),
    ...Object.fromEntries(fields.map((f) => [f, found.get(key)?.[f] ?? 0])),
  }));
}

/**
 * A report of one row per key — every payment method, age band or day shows, with zeros — of a
 * query's sums: the key's label, then a count and an amount of money, the amount drawn as bars or
 * a line. `keys` lists the keys in row order; `keyOf` finds a sum's key.
 */
export function sumsByKey<
  S extends Record<C | A, number>,
  C extends keyof S & string,
  A extends keyof S & string,
>(
  report: Pick<ReportDefinition, 'name' | 'title' | 'description'> & {
    sums: (ctx: DbCtx, scope: ReportScope) => Promise<S[]>;
    keys: (scope: ReportScope) => readonly string[];
    keyOf: (sum: S) => string;
    /** The first column: its key, its label, and each key's text in it. */
    label: { key: string; label: string; of: (key: string) => string };
    count: { key: C; label: string };
    amount: { key: A; label: string; chart: ChartSpec['kind'] };
  },
): ReportDefinition {
  const { label, count, amount } = report;
  return {
    name: report.name,
    title: report.title,
    description: report.description,
    columns: [
      { key: label.key, label: label.label, kind: 'text' },
      { key: count.key, label: count.label, kind: 'count' },
      { key: amount.key, label: amount.label, kind: 'money' },
    ],
    chart: { kind: amount.chart, series: [amount.key] },
    async rows(ctx, scope) {
      return keyedRows(
        report.keys(scope),
        await report.sums(ctx, scope),
        report.keyOf,
        (key) => ({ [label.key]: label.of(key) }),
        [count.key, amount.key],
      );
    },
  };
}
