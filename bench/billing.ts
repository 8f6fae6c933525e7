/**
 * Billing benchmark (issue 20): invoices issued per second on SQLite (a file, synchronous FULL as
 * shipped) and on PostgreSQL (a fresh schema on BENCH_PG_URL), each beside a baseline taken in the
 * same run, as a ratio.
 *
 *   npm run bench:billing   (or: npx tsx bench/billing.ts)
 *
 * The whole app runs in this process (no sockets). BENCH_INVOICES (500) drafts of two lines are
 * made first; then they are issued BENCH_CONCURRENCY (20) at a time through the billing service —
 * the staff check, the draft read, the year's counter row made if missing, locked and incremented,
 * the invoice updated, its audit row, the answer's view — and timed.
 * Baseline: the same number of invoice rows, already numbered, inserted at the same concurrency,
 * one transaction each, with no counter, no lock, no audit: what the database does for the rows
 * alone. The ratio says what numbering without gaps costs on top.
 *
 * Env: BENCH_DIALECTS (sqlite,postgres), BENCH_PG_URL (postgres://127.0.0.1:5432/test),
 * BENCH_INVOICES, BENCH_CONCURRENCY.
 */
import { performance } from 'node:perf_hooks';
import { insertInvoice } from '../src/domain/billing/billing.repo.ts';
import { newId } from '../src/lib/ids.ts';
import { benchApp } from '../src/testing/app.ts';
import type { TestDialect } from '../src/testing/db.ts';
import { seedClinic } from '../src/testing/factories.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as TestDialect[];
const count = env('BENCH_INVOICES', 500);
const concurrency = env('BENCH_CONCURRENCY', 20);

/** Runs `work(i)` for i in 0..n-1, `width` at a time; answers the seconds it took. */
async function timed(n: number, width: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await work(next++);
    }),
  );
  return (performance.now() - start) / 1000;
}

interface Result {
  dialect: TestDialect;
  issuePerSec: number;
  baselinePerSec: number;
  consecutive: boolean;
}

async function measure(dialect: TestDialect): Promise<Result> {
  const { db, dir, app } = await benchApp(dialect, 'billing');
  try {
    const clinic = await seedClinic(app, { practitioners: 1, patients: 20 });
    const desk = { type: 'staff' as const, id: clinic.receptionId };
    const drafts: string[] = [];
    await timed(count, concurrency, async (i) => {
      const d = await app.deps.billing.create(desk, {
        patientId: clinic.patientIds[i % 20],
        lines: [
          { description: 'Consultation', quantity: 1, unitPrice: 6000 },
          { description: 'Tape', quantity: 2, unitPrice: 450, discountBasisPoints: 1000 },
        ],
      });
      drafts.push(d.id);
    });
    const numbers: string[] = [];
    const issueSecs = await timed(count, concurrency, async (i) => {
      numbers.push((await app.deps.billing.issue(desk, drafts[i]!)).number!);
    });
    const sorted = [...numbers].sort();
    const consecutive = sorted.every((n, i) => Number(n.slice(-5)) === i + 1);

    const now = new Date();
    const baselineSecs = await timed(count, concurrency, (i) =>
      db.tx((ctx) =>
        insertInvoice(ctx, {
          id: newId(),
          kind: 'invoice',
          number: `BASE-${i}`,
          status: 'issued',
          patientId: clinic.patientIds[i % 20]!,
          origin: 'manual',
          currency: 'EUR',
          payerKind: 'patient',
          payerName: 'Baseline',
          payerAddress: '',
          note: '',
          subtotal: 6810,
          taxTotal: 0,
          total: 6810,
          paid: 0,
          legalDetails: '',
          footer: '',
          version: 2,
          createdAt: now,
          updatedAt: now,
          issuedAt: now,
        }),
      ),
    );
    return { dialect, issuePerSec: count / issueSecs, baselinePerSec: count / baselineSecs, consecutive };
  } finally {
    await app.stop();
    await db.destroy().catch(() => {});
  }
}

const results: Result[] = [];
for (const dialect of dialects) {
  if (dialect === 'postgres')
    process.env.CLINICBOX_TEST_DATABASE_URL = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1:5432/test';
  process.stderr.write(`[billing bench] ${dialect}: ${count} drafts, issuing ${concurrency} at a time…\n`);
  results.push(await measure(dialect));
}
console.log(`\nInvoices issued per second (${count} invoices, ${concurrency} at a time)\n`);
console.log('| database   | issued/s | baseline inserts/s | ratio | numbers 1..N consecutive |');
console.log('|------------|---------:|-------------------:|------:|:------------------------:|');
for (const r of results) {
  console.log(
    `| ${r.dialect.padEnd(10)} | ${r.issuePerSec.toFixed(0).padStart(8)} | ${r.baselinePerSec.toFixed(0).padStart(18)} | ${(r.issuePerSec / r.baselinePerSec).toFixed(2).padStart(5)} | ${r.consecutive ? 'yes' : 'NO'} |`,
  );
}
process.exit(0);
