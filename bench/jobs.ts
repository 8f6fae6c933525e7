/**
 * Job queue benchmark: Clinicbox's durable queue (SQLite with synchronous FULL and NORMAL, and
 * PostgreSQL) against BullMQ on the local Redis and pg-boss on the local PostgreSQL, in one run.
 *
 *   npm run bench:jobs
 *
 * Per system, in a fresh store (SQLite: a new temp file; PostgreSQL: a new database, dropped after;
 * BullMQ: a new queue name, obliterated after):
 *   1. enqueue: BENCH_JOBS no-op jobs, one per call (no bulk APIs), BENCH_ENQUEUE_PARALLEL calls in
 *      flight, no worker running. Clinicbox: each in its own transaction,
 *      `db.tx(ctx => queue.enqueue(ctx, testJob('bench.noop'), {i}))`; BullMQ `queue.add`; pg-boss `send`.
 *   2. drain: start a worker (BENCH_CONCURRENCY jobs at a time, all systems) and time until the
 *      system itself reports all jobs completed (Clinicbox `admin.stats()`, BullMQ
 *      `getJobCounts('completed')`, pg-boss `state = 'completed'` rows), worker start-up included.
 *   3. latency: with the worker running and idle, BENCH_LATENCY_JOBS jobs enqueued at a steady pace
 *      (one every BENCH_LATENCY_INTERVAL_MS, not waiting for the previous call); the payload carries
 *      performance.now() taken just before the enqueue call, the handler takes it again on entry.
 *
 * Env: BENCH_JOBS (50000), BENCH_CONCURRENCY (50), BENCH_PGBOSS_WORKERS (1: pg-boss work() loops sharing
 * the concurrency), BENCH_ENQUEUE_PARALLEL (100), BENCH_LATENCY_JOBS
 * (1000), BENCH_LATENCY_INTERVAL_MS (20), BENCH_DRAIN_TIMEOUT_S (60: a drain still unfinished then is
 * reported as incomplete, with the rate it reached), BENCH_SYSTEMS (comma list of bullmq,
 * clinicbox-sqlite-full, clinicbox-sqlite-normal, clinicbox-pg, pg-boss; default all),
 * BENCH_PG_URL (an existing database to connect to for CREATE/DROP DATABASE; default
 * postgres://127.0.0.1:5432/test), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 *
 * The parts are in bench/jobs/: settings.ts (the env above), system.ts (what each queue offers the
 * bench), clinicbox.ts (and claim-plan.ts), bullmq.ts, pg-boss.ts, tracker.ts, measure.ts (the three
 * phases), environment.ts
 * and report.ts (what is printed).
 */

import { performance } from 'node:perf_hooks';
import { environment } from './jobs/environment.ts';
import { measure, type Result } from './jobs/measure.ts';
import { header, printResults, printTargets } from './jobs/report.ts';
import { labels, selected } from './jobs/settings.ts';

async function main() {
  const started = performance.now();
  console.log(header(await environment()).join('\n'));

  const results: Result[] = [];
  const failures: string[] = [];
  for (const id of selected) {
    try {
      results.push(await measure(id));
    } catch (e) {
      failures.push(`${labels[id]}: FAILED — ${(e as Error).stack ?? e}`);
      process.stderr.write(`[${labels[id]}] failed: ${(e as Error).stack ?? e}\n`);
    }
  }

  printResults(results, failures);
  printTargets(results);
  console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (failures.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
