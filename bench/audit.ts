/**
 * Audit benchmark: what an audit row costs an audited transaction, alone and with many at once.
 *
 *   npx tsx bench/audit.ts
 *
 * BENCH_CONCURRENCY (20) loops, each running BENCH_TXS (200) transactions one after another: a
 * small write (a job-table-sized update stands in for the change) and its audit row, as a request
 * does; then the same with one loop (the baseline). Prints transaction p50/p99 and transactions
 * per second, per dialect (BENCH_DIALECTS, sqlite,postgres; BENCH_PG_URL or the test server), then
 * verifies the chain (every row sealed, one chain).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { execute } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { auditService } from '../src/domain/audit/index.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createTestDb, type TestDialect } from '../src/testing/db.ts';
import { testKeys } from '../src/testing/keys.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const concurrency = env('BENCH_CONCURRENCY', 20);
const txs = env('BENCH_TXS', 200);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as TestDialect[];

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;

async function run(dialect: TestDialect) {
  if (dialect === 'postgres') {
    process.env.CLINICBOX_TEST_DATABASE_URL = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1:5432/test';
  }
  const db = await createTestDb(dialect, { synchronous: 'full' });
  try {
    await migrate(db);
    await db.tx((ctx) =>
      execute(ctx, sql`create table bench_counter (id integer primary key, n integer not null)`),
    );
    await db.tx((ctx) =>
      execute(
        ctx,
        sql.raw(
          `insert into bench_counter (id, n) values ${Array.from({ length: concurrency }, (_, i) => `(${i}, 0)`).join(', ')}`,
        ),
      ),
    );
    const audit = auditService({ db, clock: systemClock, chainKey: testKeys.auditChain });
    const measure = async (loops: number) => {
      const times: number[] = [];
      const start = performance.now();
      await Promise.all(
        Array.from({ length: loops }, async (_, loop) => {
          for (let i = 0; i < txs; i++) {
            const t = performance.now();
            await db.tx(async (ctx) => {
              await execute(ctx, sql`update bench_counter set n = n + 1 where id = ${loop}`);
              await audit.record(
                ctx,
                { type: 'staff', id: `s${loop}`, ip: '10.0.0.1', requestId: `r${loop}-${i}` },
                { action: 'note.update', entity: 'note', entityId: `n${loop}`, patientId: `p${loop}` },
              );
            });
            times.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      times.sort((a, b) => a - b);
      return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), perSecond: times.length / seconds };
    };
    const one = await measure(1);
    const many = await measure(concurrency);
    const verified = await audit.verify();
    const f = (n: number) => n.toFixed(1).padStart(8);
    console.log(
      `${dialect.padEnd(9)} 1 loop: p50 ${f(one.p50)} ms  p99 ${f(one.p99)} ms  ${f(one.perSecond)} tx/s | ${concurrency} loops: p50 ${f(many.p50)} ms  p99 ${f(many.p99)} ms  ${f(many.perSecond)} tx/s | chain ${verified.ok ? 'ok' : 'BROKEN'}, ${verified.rows} rows`,
    );
  } finally {
    await db.destroy();
  }
}

for (const dialect of dialects) await run(dialect);
process.exit(0);
