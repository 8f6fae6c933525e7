/** What the job queue benchmark prints: how it measured, each system's notes, the table, the targets. */
import { cpus, loadavg } from 'node:os';
import type { Result } from './measure.ts';
import {
  CLINICBOX_POLL_MS,
  CONCURRENCY,
  DRAIN_TIMEOUT_MS,
  LAT_INTERVAL_MS,
  LAT_JOBS,
  labels,
  N,
  PARALLEL,
  PGBOSS_BATCH,
  PGBOSS_POLL_S,
  PGBOSS_WORKERS,
  pkgVersion,
} from './settings.ts';

const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const fmtMs = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const fmtRatio = (n: number | undefined) =>
  n !== undefined && Number.isFinite(n) ? `${n.toFixed(2)}×` : '—';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

/** The lines above the results: the machine, the versions, `env` (see environment.ts), the method. */
export function header(env: string[]): string[] {
  const cpu = cpus();
  return [
    `Job queue benchmark — ${new Date().toISOString()}`,
    `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, Node ${process.version}, ${process.platform}-${process.arch}`,
    `versions: bullmq ${pkgVersion('bullmq')} + ioredis ${pkgVersion('ioredis')}, pg-boss ${pkgVersion('pg-boss')} + pg ${pkgVersion('pg')}, better-sqlite3 ${pkgVersion('better-sqlite3')}, postgres.js ${pkgVersion('postgres')}`,
    ...env,
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}${loadavg()[0]! > 0.5 ? ' — other processes are busy: expect noisy numbers' : ''}`,
    '',
    'How it was measured (every system in this one process, one after another, each in a fresh store):',
    `  enqueue/s   ${N.toLocaleString('en-US')} jobs, one per call, ${PARALLEL} calls in flight, no worker running. Clinicbox: each its own`,
    `              transaction, db.tx(ctx => queue.enqueue(ctx, testJob('bench.noop'), {i})) (SQLite group-commits those that queue`,
    '              up: one fsync per batch); BullMQ queue.add(); pg-boss send().',
    `  processed/s ${N.toLocaleString('en-US')} / time from starting the worker (concurrency ${CONCURRENCY} everywhere) until the system reports all`,
    '              completed (Clinicbox admin.stats() succeeded; BullMQ getJobCounts completed; pg-boss state=completed rows).',
    `              Clinicbox: createJobSystem({concurrency: ${CONCURRENCY}, pollMs: ${CLINICBOX_POLL_MS}}).createWorker(). BullMQ: Worker({concurrency: ${CONCURRENCY}}).`,
    `              pg-boss: ${PGBOSS_WORKERS} × work({batchSize: ${PGBOSS_BATCH}, pollingIntervalSeconds: ${PGBOSS_POLL_S}, priority: false}), a batch's jobs`,
    '              run concurrently; a worker with a full batch fetches again at once (notifyWorker), and each send()',
    '              wakes one idle worker (notifyWorker), the in-process wake Clinicbox gets on commit.',
    `              A drain unfinished after ${DRAIN_TIMEOUT_MS / 1000} s is reported as incomplete, at the rate it reached.`,
    `  p50/p99 ms  enqueue→start: worker running and idle, ${LAT_JOBS} jobs enqueued one every ${LAT_INTERVAL_MS} ms (not waiting for the previous`,
    '              call); performance.now() before the enqueue call, in the payload, vs on entry to the handler (same process).',
    `              ${Math.round(1000 / Math.max(1, LAT_INTERVAL_MS))}/s stays under every system's drain rate, so this is the idle path, not a backlog.`,
    '              Clinicbox wakes its worker on commit in the same process; BullMQ blocks on Redis; pg-boss is woken by',
    '              notifyWorker after send() (otherwise it polls).',
    '  Ratios are this row / the BullMQ row. No-op handlers: this measures queue overhead only.',
    '',
  ];
}

/** Each system's notes, then the failures, then the table with every ratio against BullMQ. */
export function printResults(results: Result[], failures: string[]): void {
  for (const r of results) {
    console.log(`${labels[r.id]}:`);
    for (const n of r.notes) console.log(`  ${n}`);
  }
  for (const f of failures) console.log(f);
  console.log('');

  const bull = results.find((r) => r.id === 'bullmq');
  const rows = [
    ['system', 'enqueue/s', 'processed/s', 'p50 ms', 'p99 ms', 'processed vs BullMQ', 'enqueue vs BullMQ'],
    ...results.map((r) => [
      labels[r.id],
      fmtInt(r.enqueuePerS),
      `${fmtInt(r.processedPerS)}${r.incomplete ? ' (incomplete*)' : ''}`,
      fmtMs(r.p50),
      fmtMs(r.p99),
      fmtRatio(bull ? r.processedPerS / bull.processedPerS : undefined),
      fmtRatio(bull ? r.enqueuePerS / bull.enqueuePerS : undefined),
    ]),
  ];
  console.log(table(rows));
  for (const r of results.filter((x) => x.incomplete))
    console.log(`* ${labels[r.id]}: drain did not finish: ${r.incomplete}.`);
}

/** Whether the three targets were met, where the runs they need took place. */
export function printTargets(results: Result[]): void {
  const bull = results.find((r) => r.id === 'bullmq');
  const full = results.find((r) => r.id === 'clinicbox-sqlite-full');
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  console.log('');
  if (full && bull) {
    console.log(
      `Target: Clinicbox SQLite FULL processed/s >= BullMQ's: ${fmtInt(full.processedPerS)} vs ${fmtInt(bull.processedPerS)} ` +
        `(${fmtRatio(full.processedPerS / bull.processedPerS)}) — ${verdict(full.processedPerS >= bull.processedPerS)}`,
    );
    const enqueueRatio = full.enqueuePerS / bull.enqueuePerS;
    console.log(
      `Target: Clinicbox SQLite FULL enqueue/s >= 0.5× BullMQ's add(): ${fmtInt(full.enqueuePerS)} vs ${fmtInt(bull.enqueuePerS)} ` +
        `(${fmtRatio(enqueueRatio)}) — ${verdict(enqueueRatio >= 0.5)}`,
    );
  } else
    console.log(
      'Target: Clinicbox SQLite FULL processed/s and enqueue/s beside BullMQ’s — not measured (both must run)',
    );
  if (full) {
    const others = results
      .filter((r) => r.id.startsWith('clinicbox') && r.id !== 'clinicbox-sqlite-full')
      .map((r) => `${labels[r.id]} ${fmtMs(r.p50)} ms ${r.p50 < 5 ? 'met' : 'not met'}`);
    console.log(
      `Target: p50 enqueue→start < 5 ms on Clinicbox SQLite FULL: ${fmtMs(full.p50)} ms — ${verdict(full.p50 < 5)}` +
        (others.length ? ` (also: ${others.join('; ')})` : ''),
    );
  } else console.log('Target: p50 enqueue→start < 5 ms — not measured (clinicbox-sqlite-full did not run)');
}
