import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { type ClaimLoopDeps, runClaimLoop } from './claim-loop.ts';
import type { HeldInstanceId, InstanceIds } from './instance.ts';
import { renewLeases } from './lease-renewal.ts';
import type { JobQueue } from './queue.ts';
import type { Scheduler } from './schedule.ts';
import { type Running, shutDown } from './shutdown.ts';
import type { JobDefinition } from './types.ts';
import { createWaker, newWorkerState } from './worker-state.ts';

/**
 * The worker loop: claims due jobs in batches, runs up to `concurrency` at once, renews their
 * leases while they run, and records successes in the next claim's transaction. While its jobs
 * are quick (under `quickJobMs` on average) it keeps up to `prefetch` more claimed jobs in hand,
 * so a claim — one transaction, one fsync — fetches a large batch instead of the few slots just
 * freed; slow jobs are never held back from other workers that way. Wakes at once when this
 * process enqueues; polls otherwise (other processes' jobs, retries coming due, recurring
 * schedules, expired leases).
 *
 * The parts: claim-loop.ts (claim, start, sleep), job-runner.ts (run a handler, record a failure),
 * lease-renewal.ts (keep leases, abort runs whose lease was lost), shutdown.ts (drain and release).
 */
export interface WorkerOptions {
  queue: JobQueue;
  definitions: ReadonlyMap<string, JobDefinition<any>>;
  clock: Clock;
  log: Logger;
  /**
   * Names this process's claims. With `instanceIds`, the worker holds it while it runs, and
   * takes `<id>-2`… when a live process holds it already.
   */
  instanceId: string;
  instanceIds?: InstanceIds | undefined;
  /** How often the held instance id's heartbeat is refreshed (default 30 s). */
  beatMs?: number;
  concurrency: number;
  /** Claimed jobs kept in hand beyond the running ones while jobs are quick (default 3 × concurrency). */
  prefetch?: number;
  /** Jobs quicker than this on average (ms, default 5) are prefetched. */
  quickJobMs?: number;
  pollMs?: number;
  leaseMs?: number;
  /** How often to look for expired leases of dead workers. */
  reapEveryMs?: number;
  scheduler?: Scheduler | undefined;
  random?: () => number;
}

export interface Worker {
  start(): Promise<void>;
  /** Stops claiming, lets running jobs finish within `graceMs`, then releases the rest. */
  stop(graceMs: number): Promise<void>;
  readonly running: number;
  /** The id its claims carry (known once started). */
  readonly instanceId: string;
}

/** A worker over `options.queue` (see WorkerOptions): not running until start(). */
export function createWorker(options: WorkerOptions): Worker {
  const { queue, log, concurrency } = options;
  const state = newWorkerState(options.instanceId);
  const waker = createWaker();
  const leaseMs = options.leaseMs ?? 30_000;
  const loop: ClaimLoopDeps = {
    queue,
    definitions: options.definitions,
    clock: options.clock,
    log,
    concurrency,
    random: options.random ?? Math.random,
    state,
    waker,
    leaseMs,
    pollMs: options.pollMs ?? 1000,
    reapEveryMs: options.reapEveryMs ?? 5_000,
    maxPrefetch: options.prefetch ?? 3 * concurrency,
    quickJobMs: options.quickJobMs ?? 5,
    scheduler: options.scheduler,
  };
  const running: Running = {
    loopDone: Promise.resolve(),
    unsubscribe: () => {},
    renewTimer: undefined,
    beatTimer: undefined,
    held: undefined,
  };

  return {
    get running() {
      return state.active.size;
    },
    get instanceId() {
      return state.instanceId;
    },
    async start() {
      if (options.instanceIds) {
        running.held = await options.instanceIds.acquire(options.instanceId);
        state.instanceId = running.held.id;
        if (state.instanceId !== options.instanceId)
          log.warn('another live process holds this instance id; this one takes the next free id', {
            wanted: options.instanceId,
            instanceId: state.instanceId,
          });
        running.beatTimer = beatInstanceId(running.held, log, options.beatMs ?? 30_000);
      }
      // Only a dead earlier process can have left jobs under an id this process now holds.
      const released = await queue.releaseStale(state.instanceId);
      if (released)
        log.warn('released jobs an earlier process with this instance id left running', {
          count: released,
          instanceId: state.instanceId,
        });
      await options.scheduler?.sync();
      running.unsubscribe = queue.onEnqueued(waker.signal);
      running.renewTimer = setInterval(
        () => renewLeases({ queue, log, state, leaseMs }),
        Math.max(50, Math.floor(leaseMs / 3)),
      );
      running.renewTimer.unref?.();
      state.stopping = false;
      running.loopDone = runClaimLoop(loop);
      log.info('worker started', { instanceId: state.instanceId, concurrency });
    },
    stop: (graceMs) => shutDown({ queue, log, state, waker }, running, graceMs),
  };
}

/** Refreshes the held instance id's heartbeat every `beatMs` (a timer that keeps no process alive). */
function beatInstanceId(held: HeldInstanceId, log: Logger, beatMs: number): ReturnType<typeof setInterval> {
  const timer = setInterval(() => {
    held.beat().then(
      (ok) => {
        if (!ok) log.error('another process has taken this instance id', { instanceId: held.id });
      },
      (e) => log.error('instance heartbeat failed', { error: e as Error }),
    );
  }, beatMs);
  timer.unref?.();
  return timer;
}
