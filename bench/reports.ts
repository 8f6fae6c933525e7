/**
 * Reports benchmark (issue 20): each report over the last year of a large clinic, p95 beside a
 * baseline measured in the same run — a plain `select count(*)` over the same rows of the table
 * the report reads (the year's appointments, invoices, payments or SMS deliveries) — as a ratio.
 * Target: every report's p95 < 300 ms.
 *
 *   npm run bench:reports   (or: npx tsx bench/reports.ts)
 *
 * The clinic (bench/reports/seed.ts) is the scheduling bench's shape: BENCH_APPOINTMENTS
 * appointments in all (default 1,000,000, going back years; the last year holds about
 * 15 a weekday per practitioner), BENCH_PRACTITIONERS (20), 2,000 patients; the last year's
 * completed appointments invoiced and mostly paid; time off; 30,000 SMS.
 * Each report is read BENCH_RUNS (30) times, one after another, through the reports service as an
 * admin (the whole clinic's figures): the member check, the range and its weeks, the aggregate
 * queries, the audit row written for each read.
 *
 * Env: BENCH_DIALECTS (sqlite; or sqlite,postgres), BENCH_PG_URL (postgres://127.0.0.1:5432/test),
 * BENCH_APPOINTMENTS, BENCH_PRACTITIONERS, BENCH_RUNS.
 */
import { performance } from 'node:perf_hooks';
import { type SQL, sql } from 'drizzle-orm';
import { type DbCtx, queryRows } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { instant } from '../src/db/report-sql.ts';
import { reportCatalogue } from '../src/domain/reports/index.ts';
import { createTestDb, type TestDialect } from '../src/testing/db.ts';
import { seedClinic } from './reports/seed.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite').split(',') as TestDialect[];
const target = env('BENCH_APPOINTMENTS', 1_000_000);
const practitioners = env('BENCH_PRACTITIONERS', 20);
const runs = env('BENCH_RUNS', 30);
const TARGET_MS = 300;

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

async function timeRuns(work: () => Promise<unknown>): Promise<number[]> {
  await work(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return times;
}

/** Which table's rows each report reads, for its baseline. */
const sourceOf: Record<string, 'appointments' | 'invoices' | 'payments' | 'deliveries'> = {
  'revenue-by-service': 'invoices',
  'revenue-by-practitioner': 'invoices',
  outstanding: 'invoices',
  'revenue-by-payment-method': 'payments',
  'daily-takings': 'payments',
  'sms-budget': 'deliveries',
};

function baselineQuery(ctx: DbCtx, source: string, from: Date, to: Date): SQL {
  const [lo, hi] = [instant(ctx, from), instant(ctx, to)];
  if (source === 'invoices') {
    const i = ctx.t.invoices;
    return sql`select count(*) as n from ${i} where ${i.issuedAt} >= ${lo} and ${i.issuedAt} < ${hi}`;
  }
  if (source === 'payments') {
    const y = ctx.t.payments;
    return sql`select count(*) as n from ${y} where ${y.receivedAt} >= ${lo} and ${y.receivedAt} < ${hi}`;
  }
  if (source === 'deliveries') {
    const d = ctx.t.deliveries;
    return sql`select count(*) as n from ${d} where ${d.sentAt} >= ${lo} and ${d.sentAt} < ${hi}`;
  }
  const a = ctx.t.appointments;
  return sql`select count(*) as n from ${a} where ${a.startAt} >= ${lo} and ${a.startAt} < ${hi}`;
}

interface Line {
  report: string;
  p50: number;
  p95: number;
  baseline: number;
  rows: number;
}

async function measure(dialect: TestDialect) {
  const db = await createTestDb(dialect, { migrated: true });
  await migrate(db);
  const started = performance.now();
  process.stderr.write(`[reports bench] ${dialect}: seeding about ${target} appointments…\n`);
  const clinic = await seedClinic(db, target, practitioners);
  const seedSeconds = (performance.now() - started) / 1000;
  const admin = { type: 'staff' as const, id: clinic.adminId };
  const range = { from: clinic.today.minus({ days: 364 }).toISODate()!, to: clinic.today.toISODate()! };
  const from = clinic.today.minus({ days: 364 }).toJSDate();
  const to = clinic.today.plus({ days: 1 }).toJSDate();
  const [yearRows] = await queryRows<{ n: unknown }>(
    db.reader,
    baselineQuery(db.reader, 'appointments', from, to),
  );
  const baselines = new Map<string, number>();
  const lines: Line[] = [];
  for (const report of reportCatalogue) {
    const source = sourceOf[report.name] ?? 'appointments';
    if (!baselines.has(source)) {
      const q = baselineQuery(db.reader, source, from, to);
      baselines.set(source, p(await timeRuns(() => queryRows(db.reader, q)), 0.95));
    }
    let rows = 0;
    const times = await timeRuns(async () => {
      rows = (await clinic.app.deps.reports.run(admin, report.name, range)).rows.length;
    });
    lines.push({
      report: report.name,
      p50: p(times, 0.5),
      p95: p(times, 0.95),
      baseline: baselines.get(source)!,
      rows,
    });
    process.stderr.write(`[reports bench] ${dialect} ${report.name}: p95 ${p(times, 0.95).toFixed(1)} ms\n`);
  }
  await clinic.app.stop();
  await db.destroy().catch(() => {});
  return {
    dialect,
    lines,
    seedSeconds,
    appointments: clinic.appointments,
    invoices: clinic.invoices,
    yearRows: Number(yearRows?.n),
  };
}

for (const dialect of dialects) {
  if (dialect === 'postgres')
    process.env.CLINICBOX_TEST_DATABASE_URL = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1:5432/test';
  const r = await measure(dialect);
  console.log(
    `\nReports over one year on ${r.dialect}: ${r.appointments} appointments in all (${r.yearRows} in the year), ${r.invoices} invoices, ${practitioners} practitioners; seeded in ${r.seedSeconds.toFixed(0)} s; ${runs} reads each\n`,
  );
  console.log('| report                    | p50 ms | p95 ms | baseline p95 ms | ratio | rows | < 300 ms |');
  console.log('|---------------------------|-------:|-------:|----------------:|------:|-----:|:--------:|');
  for (const l of r.lines) {
    console.log(
      `| ${l.report.padEnd(25)} | ${l.p50.toFixed(1).padStart(6)} | ${l.p95.toFixed(1).padStart(6)} | ${l.baseline.toFixed(1).padStart(15)} | ${(l.p95 / l.baseline).toFixed(1).padStart(5)} | ${String(l.rows).padStart(4)} | ${l.p95 < TARGET_MS ? 'yes' : 'NO'} |`,
    );
  }
}
process.exit(0);
