/**
 * One system's run: (1) enqueue with no worker, (2) drain with the worker started, (3) enqueue→start
 * latency with the worker idle — each phase described in bench/jobs.ts.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { bullmq } from './bullmq.ts';
import { clinicbox } from './clinicbox.ts';
import { pgBoss } from './pg-boss.ts';
import {
  DRAIN_TIMEOUT_MS,
  LAT_INTERVAL_MS,
  LAT_JOBS,
  LATENCY_TIMEOUT_MS,
  labels,
  N,
  PARALLEL,
  PGBOSS_POLL_S,
  type SystemId,
  sleep,
} from './settings.ts';
import type { System } from './system.ts';
import { inParallel, percentile, Tracker } from './tracker.ts';

const factories: Record<SystemId, () => Promise<System>> = {
  bullmq,
  'clinicbox-sqlite-full': () => clinicbox('sqlite-full'),
  'clinicbox-sqlite-normal': () => clinicbox('sqlite-normal'),
  'clinicbox-pg': () => clinicbox('pg'),
  'pg-boss': pgBoss,
};

export interface Result {
  id: SystemId;
  enqueuePerS: number;
  processedPerS: number;
  /** Set when the drain hit its time limit. */
  incomplete?: string;
  p50: number;
  p99: number;
  notes: string[];
}

/** A system under measurement, what its handlers saw, and where the phases write. */
interface Run {
  sys: System;
  tracker: Tracker;
  notes: string[];
  progress(message: string): void;
}

/** 1. N jobs, PARALLEL calls in flight, no worker; the time it took. */
async function enqueuePhase({ sys, notes, progress }: Run): Promise<number> {
  progress(`enqueue ${N} (${PARALLEL} in flight)…`);
  const e0 = performance.now();
  await inParallel(N, PARALLEL, (i) => sys.enqueue({ i }));
  const enqueueMs = performance.now() - e0;
  progress(`enqueued in ${(enqueueMs / 1000).toFixed(2)} s`);
  if (sys.afterEnqueue) notes.push(...(await sys.afterEnqueue()));
  return enqueueMs;
}

/** 2. Starts the worker and waits until the system reports every job completed, or the time limit. */
async function drainPhase({ sys, tracker, notes, progress }: Run) {
  progress('drain…');
  const d0 = performance.now();
  const deadline = d0 + DRAIN_TIMEOUT_MS;
  await sys.startWorker(tracker.onStart);
  await tracker.until(() => tracker.distinct >= N, Math.max(0, deadline - performance.now()));
  const handlersMs = performance.now() - d0;
  let done = await sys.completed();
  while (done < N && performance.now() < deadline) {
    await sleep(5);
    done = await sys.completed();
  }
  const drainMs = performance.now() - d0;
  let incomplete: string | undefined;
  if (done < N) {
    incomplete = `${done.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} in ${(drainMs / 1000).toFixed(0)} s`;
    notes.push(
      `drain INCOMPLETE: ${incomplete} (time limit BENCH_DRAIN_TIMEOUT_S); processed/s is the rate reached`,
    );
    await sys.purge();
    await sleep(2 * PGBOSS_POLL_S * 1000 + 500); // let the batch in flight finish
  } else {
    notes.push(
      `drain: all handlers entered after ${(handlersMs / 1000).toFixed(2)} s, all recorded completed after ${(drainMs / 1000).toFixed(2)} s`,
    );
  }
  progress(`drained ${done} in ${(drainMs / 1000).toFixed(2)} s`);
  if (tracker.repeats) notes.push(`handlers ran ${tracker.repeats} jobs a second time (at-least-once)`);
  return { done, drainMs, incomplete };
}

/** 3. LAT_JOBS jobs at a steady pace to the idle worker; the enqueue→start times, ascending. */
async function latencyPhase({ sys, tracker, notes, progress }: Run): Promise<number[]> {
  await sleep(300);
  progress(`latency: ${LAT_JOBS} jobs, one every ${LAT_INTERVAL_MS} ms…`);
  const l0 = performance.now();
  const calls: Promise<unknown>[] = [];
  const callMs: number[] = [];
  for (let k = 0; k < LAT_JOBS; k++) {
    const wait = l0 + k * LAT_INTERVAL_MS - performance.now();
    if (wait > 1) await sleep(wait);
    const t = performance.now();
    calls.push(sys.enqueue({ i: N + k, t }).then(() => callMs.push(performance.now() - t)));
  }
  const paceMs = performance.now() - l0;
  await Promise.all(calls);
  const all = await tracker.until(() => tracker.latencies.length >= LAT_JOBS, LATENCY_TIMEOUT_MS);
  if (!all) notes.push(`latency: only ${tracker.latencies.length} of ${LAT_JOBS} jobs started within 30 s`);
  const sorted = [...tracker.latencies].sort((a, b) => a - b);
  callMs.sort((a, b) => a - b);
  notes.push(
    `latency: ${LAT_JOBS} enqueued over ${(paceMs / 1000).toFixed(2)} s (${Math.round((LAT_JOBS * 1000) / paceMs)}/s); ` +
      `enqueue call p50 ${percentile(callMs, 0.5).toFixed(2)} ms; enqueue→start min ${sorted[0]?.toFixed(2)} ms, ` +
      `max ${sorted.at(-1)?.toFixed(2)} ms`,
  );
  return sorted;
}

/** Runs the three phases on a fresh store of system `id`, then closes it. */
export async function measure(id: SystemId): Promise<Result> {
  const label = labels[id];
  const notes: string[] = [];
  const progress = (m: string) => process.stderr.write(`[${label}] ${m}\n`);
  const load0 = loadavg()[0]!;
  const sys = await factories[id]();
  try {
    const run: Run = { sys, tracker: new Tracker(), notes, progress };
    const enqueueMs = await enqueuePhase(run);
    const { done, drainMs, incomplete } = await drainPhase(run);
    const sorted = await latencyPhase(run);
    notes.push(
      `load average (1 min) before ${load0.toFixed(2)}, after ${loadavg()[0]!.toFixed(2)} (${cpus().length} cores)`,
    );
    return {
      id,
      enqueuePerS: N / (enqueueMs / 1000),
      processedPerS: done / (drainMs / 1000),
      ...(incomplete ? { incomplete } : {}),
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      notes,
    };
  } finally {
    progress('cleaning up…');
    await sys.close();
  }
}
