import { Hono } from 'hono';
import { type ReportSectionView, ReportsPage } from '../../../views/pages/staff/reports.tsx';
import { formatMoney, minorDigits } from '../../domain/billing/index.ts';
import { type ColumnKind, type DateRange, type ReportResult, reportCsv } from '../../domain/reports/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const presetLabels = [
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'this-quarter', label: 'This quarter' },
  { value: 'this-year', label: 'This year' },
];

/** A cell as the page shows it: money in the clinic's currency, percentages, minutes as hours. */
function formatCell(kind: ColumnKind, value: string | number | undefined, currency: string): string {
  if (kind === 'text') return String(value ?? '');
  const n = Number(value ?? 0);
  if (kind === 'money') return formatMoney(n, currency);
  if (kind === 'percent') return `${n.toFixed(1)} %`;
  if (kind === 'minutes') return `${(n / 60).toLocaleString('en', { maximumFractionDigits: 1 })} h`;
  return n.toLocaleString('en');
}

/** An axis label: money compact in major units, percentages, hours, counts. */
function axisFormat(kind: ColumnKind, currency: string): (v: number) => string {
  if (kind === 'money') {
    const f = new Intl.NumberFormat('en', { style: 'currency', currency, notation: 'compact' });
    return (v) => f.format(v / 10 ** minorDigits(currency));
  }
  if (kind === 'percent') return (v) => `${v} %`;
  if (kind === 'minutes') return (v) => `${Math.round(v / 60)} h`;
  return (v) => v.toLocaleString('en');
}

const query = (range: DateRange) => `from=${range.from}&to=${range.to}`;

/** A report as the page's section: the chart's series from the report's, the table's cells formatted. */
function sectionOf(r: ReportResult): ReportSectionView {
  const byKey = new Map(r.columns.map((c) => [c.key, c]));
  const series = r.chart.series.map((key) => ({ key, label: byKey.get(key)?.label ?? key }));
  const [first] = r.columns;
  return {
    name: r.name,
    title: r.title,
    description: r.description,
    chart: {
      kind: r.chart.kind,
      categories: r.rows.map((row) => String(row[first?.key ?? ''] ?? '')),
      series,
      values: series.map((s) => r.rows.map((row) => Number(row[s.key] ?? 0))),
      format: axisFormat(byKey.get(series[0]?.key ?? '')?.kind ?? 'count', r.currency),
    },
    head: r.columns.map((c) => (c.kind === 'money' ? `${c.label} (${r.currency})` : c.label)),
    numeric: r.columns.map((c) => c.kind !== 'text'),
    cells: r.rows.map((row) => r.columns.map((c) => formatCell(c.kind, row[c.key], r.currency))),
    csvHref: `/staff/reports/${r.name}/csv?${query(r.range)}`,
  };
}

/** The range fields of the request's query (only those given). */
const rangeOf = (q: Record<string, string>) =>
  Object.fromEntries(['preset', 'from', 'to'].filter((k) => q[k]).map((k) => [k, q[k]]));

/**
 * `/staff/reports`: the Reports page (admins: the clinic's figures; practitioners: their own,
 * enforced by the reports area) over a period picked from presets or two dates; each report's
 * chart, its numbers in a table beside it, and its CSV at `/staff/reports/{name}/csv`.
 */
export function staffReportsRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get('/', kit.authorize('reports.read'), async (c) => {
    const actor = actorOf(c);
    const asked = rangeOf(c.req.query());
    let error: string | undefined;
    let range: DateRange;
    try {
      range = await deps.reports.range(asked);
    } catch (e) {
      if (!isAppError(e)) throw e;
      error = `${e.message} ${(e.issues ?? []).map((i) => `${i.path}: ${i.message}`).join(' ')}`.trim();
      range = await deps.reports.range({});
    }
    const reports: ReportResult[] = [];
    for (const report of await deps.reports.available(actor)) {
      reports.push(await deps.reports.run(actor, report.name, { from: range.from, to: range.to }));
    }
    return c.html(
      ReportsPage({
        nav: kit.nav(c),
        range,
        error,
        presets: presetLabels.map((p) => ({ ...p, href: `/staff/reports?preset=${p.value}` })),
        scope: reports[0]?.scope ?? 'own',
        reports: reports.map((r) => sectionOf({ ...r, range })),
      }),
      error ? 422 : 200,
    );
  });
  app.get('/:name/csv', kit.authorize('reports.read'), async (c) => {
    const report = await deps.reports.run(actorOf(c), c.req.param('name'), rangeOf(c.req.query()));
    return c.body(reportCsv(report), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${report.name}-${report.range.from}-${report.range.to}.csv"`,
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
