import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { retryDelayMs } from './backoff.ts';
import type { HeldInstanceId, InstanceIds } from './instance.ts';
import type { JobQueue } from './queue.ts';
import type { Scheduler } from './schedule.ts';
import { type Job, type JobDefinition, jobDefaults, PermanentJobError } from './types.ts';

/**
 * The worker loop: claims due jobs in batches, runs up to `concurrency` at once, renews their
 * leases while they run, and records successes in the next claim's transaction. While its jobs
 * are quick (under `quickJobMs` on average) it keeps up to `prefetch` more claimed jobs in hand,
 * so a claim — one transaction, one fsync — fetches a large batch instead of the few slots just
 * freed; slow jobs are never held back from other workers that way. Wakes at once when this
 * process enqueues; polls otherwise (other processes' jobs, retries coming due, recurring
 * schedules, expired leases).
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

interface Active {
  job: Job;
  abort: AbortController;
  done: Promise<void>;
  /** Handed back at shutdown (grace over): its outcome is not recorded, release() is. */
  released: boolean;
  /** Its lease could not be renewed (another process has the job now): aborted, outcome dropped. */
  lost: boolean;
}

export function createWorker(options: WorkerOptions): Worker {
  const { queue, definitions, clock, log, concurrency } = options;
  let instanceId = options.instanceId;
  let held: HeldInstanceId | undefined;
  let beatTimer: ReturnType<typeof setInterval> | undefined;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const reapEveryMs = options.reapEveryMs ?? 5_000;
  const random = options.random ?? Math.random;

  const active = new Map<number, Active>();
  /** Claimed and leased, not started yet: started as slots free, handed back uncounted at shutdown. */
  const ready: Job[] = [];
  const maxPrefetch = options.prefetch ?? 3 * concurrency;
  const quickJobMs = options.quickJobMs ?? 5;
  /** Moving average of how long a job runs; unknown (no prefetch) until one has run. */
  let meanRunMs: number | undefined;
  const noteRunTime = (ms: number) => {
    meanRunMs = meanRunMs === undefined ? ms : 0.9 * meanRunMs + 0.1 * ms;
  };
  let stopping = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wake: (() => void) | null = null;
  let woken = false;
  const signal = () => {
    woken = true;
    wake?.();
  };
  let unsubscribe = () => {};
  let renewTimer: ReturnType<typeof setInterval> | undefined;

  // Successes are buffered and written by the loop's next claim, in its transaction (one commit
  // for both: a finished job frees a slot, so a claim follows); flush() writes them at shutdown.
  let completed: number[] = [];
  let flushing: Promise<void> | null = null;
  const flush = (): Promise<void> => {
    if (flushing) return flushing;
    flushing = (async () => {
      while (completed.length > 0) {
        const ids = completed;
        completed = [];
        try {
          await queue.complete(instanceId, ids);
        } catch (e) {
          // Not recorded: the lease will expire and the jobs run again (at-least-once).
          log.error('could not record finished jobs', { count: ids.length, error: e as Error });
        }
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  async function execute(entry: Active): Promise<void> {
    const { job, abort } = entry;
    const definition = definitions.get(job.name);
    // Most jobs log nothing: build the child logger only when something is logged.
    let child: Logger | undefined;
    const bound = () =>
      (child ??= log.child({
        jobId: job.id,
        job: job.name,
        attempt: job.attempts,
        requestId: job.requestId ?? undefined,
      }));
    const jobLog: Logger = {
      debug: (m, f) => bound().debug(m, f),
      info: (m, f) => bound().info(m, f),
      warn: (m, f) => bound().warn(m, f),
      error: (m, f) => bound().error(m, f),
      child: (b) => bound().child(b),
    };
    if (!definition) {
      await queue.fail(instanceId, job.id, `no handler is registered for job name "${job.name}"`, null);
      jobLog.error('job dead: unknown name');
      return;
    }
    const parsed = definition.payload.safeParse(job.payload);
    if (!parsed.success) {
      await queue.fail(
        instanceId,
        job.id,
        `invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        null,
      );
      jobLog.error('job dead: invalid payload');
      return;
    }
    const timeoutMs = definition.timeoutMs ?? jobDefaults.timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const began = performance.now();
    try {
      await Promise.race([
        definition.handle(parsed.data, { job, attempt: job.attempts, signal: abort.signal, log: jobLog }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            abort.abort();
            reject(new Error(`timed out after ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
      if (entry.released || entry.lost) return;
      completed.push(job.id);
    } catch (e) {
      // Released at shutdown: not a failure (stop() hands it back uncounted). A timeout during
      // the grace period is not a release: the run ended, and is recorded as a failed attempt.
      if (entry.released || entry.lost) return;
      const message = e instanceof Error ? e.message : String(e);
      const permanent = e instanceof PermanentJobError;
      const last = permanent || job.attempts >= job.maxAttempts;
      const retryAt = last
        ? null
        : new Date(
            clock.now().getTime() +
              retryDelayMs(job.attempts, definition.backoff ?? jobDefaults.backoff, random),
          );
      await queue.fail(instanceId, job.id, message.slice(0, 2000), retryAt);
      if (last) jobLog.error('job dead', { error: message });
      else jobLog.warn('job failed, will retry', { error: message, retryAt: retryAt?.toISOString() });
    } finally {
      clearTimeout(timer);
      noteRunTime(performance.now() - began);
    }
  }

  function run(job: Job) {
    const abort = new AbortController();
    const entry: Active = { job, abort, done: Promise.resolve(), released: false, lost: false };
    entry.done = execute(entry)
      .catch((e) => log.error('job bookkeeping failed', { jobId: job.id, error: e as Error }))
      .finally(() => {
        if (active.get(job.id) === entry) active.delete(job.id);
        startReady();
        signal();
      });
    active.set(job.id, entry);
  }

  function startReady() {
    while (!stopping && active.size < concurrency && ready.length > 0) run(ready.shift()!);
  }

  /**
   * Extends the leases of running jobs. A job whose lease was not extended is no longer ours (it
   * ran out — a stalled process — and another worker claimed it): its handler is aborted and its
   * outcome dropped, so two runs do not go on side by side (the new owner's result stands).
   */
  function renewLeases() {
    const ids = [
      ...[...active.values()].filter((a) => !a.released && !a.lost).map((a) => a.job.id),
      ...ready.map((j) => j.id),
    ];
    if (ids.length === 0) return;
    queue.renew(instanceId, ids, leaseMs).then(
      (renewed) => {
        const kept = new Set(renewed);
        const asked = new Set(ids);
        for (let i = ready.length - 1; i >= 0; i--) {
          const job = ready[i]!;
          if (kept.has(job.id) || !asked.has(job.id)) continue;
          ready.splice(i, 1);
          log.warn('lease lost before the job started: another process has it now', {
            jobId: job.id,
            job: job.name,
            instanceId,
          });
        }
        for (const id of ids) {
          const entry = active.get(id);
          if (kept.has(id) || !entry || entry.released) continue;
          entry.lost = true;
          entry.abort.abort();
          log.warn('lease lost: another process has this job now; its run here is aborted', {
            jobId: id,
            job: entry.job.name,
            instanceId,
          });
        }
      },
      (e) => log.error('lease renewal failed', { error: e as Error }),
    );
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        woken = false;
        resolve();
      }
      wake = done;
    });

  async function loop() {
    let lastReap = 0;
    let lastSchedule = 0;
    while (!stopping) {
      try {
        const now = Date.now();
        if (now - lastReap >= reapEveryMs) {
          lastReap = now;
          const n = await queue.reapExpired();
          if (n) log.warn('released jobs whose worker stopped', { count: n });
        }
        if (options.scheduler && now - lastSchedule >= pollMs) {
          lastSchedule = now;
          await options.scheduler.enqueueDue();
        }
        if (stopping) break; // stop() may have come during the reap or the schedules
        // In hand: running and waiting. Claim once it fits the slots, as many as there is room for.
        const inHand = active.size + ready.length;
        const prefetch = meanRunMs !== undefined && meanRunMs < quickJobMs ? maxPrefetch : 0;
        const free = inHand <= concurrency ? concurrency + prefetch - inHand : 0;
        // Finished jobs ride with the claim, or go alone when there is no room to claim: never left
        // waiting, so a crash repeats at most the jobs that were running.
        const finished = completed;
        completed = [];
        let claimed: Job[] = [];
        try {
          if (free > 0 || finished.length) claimed = await queue.claim(instanceId, free, leaseMs, finished);
        } catch (e) {
          completed.push(...finished); // not recorded: the next claim or the shutdown flush tries again
          throw e;
        }
        ready.push(...claimed);
        if (stopping) break; // claimed while stop() came: stop() hands them back uncounted
        startReady();
        if (claimed.length > 0 && claimed.length === free) continue; // maybe more waiting: go again
        // Sleep until: an enqueue here, a slot frees, or the poll interval.
        await sleep(pollMs);
      } catch (e) {
        log.error('worker loop error; retrying', { error: e as Error });
        await sleep(pollMs);
      }
    }
  }

  return {
    get running() {
      return active.size;
    },
    get instanceId() {
      return instanceId;
    },
    async start() {
      if (options.instanceIds) {
        held = await options.instanceIds.acquire(options.instanceId);
        instanceId = held.id;
        if (instanceId !== options.instanceId)
          log.warn('another live process holds this instance id; this one takes the next free id', {
            wanted: options.instanceId,
            instanceId,
          });
        const h = held;
        beatTimer = setInterval(() => {
          h.beat().then(
            (ok) => {
              if (!ok) log.error('another process has taken this instance id', { instanceId });
            },
            (e) => log.error('instance heartbeat failed', { error: e as Error }),
          );
        }, options.beatMs ?? 30_000);
        beatTimer.unref?.();
      }
      // Only a dead earlier process can have left jobs under an id this process now holds.
      const released = await queue.releaseStale(instanceId);
      if (released)
        log.warn('released jobs an earlier process with this instance id left running', {
          count: released,
          instanceId,
        });
      await options.scheduler?.sync();
      unsubscribe = queue.onEnqueued(signal);
      renewTimer = setInterval(renewLeases, Math.max(50, Math.floor(leaseMs / 3)));
      renewTimer.unref?.();
      stopping = false;
      loopDone = loop();
      log.info('worker started', { instanceId, concurrency });
    },
    async stop(graceMs) {
      stopping = true;
      unsubscribe();
      signal();
      await loopDone;
      // Claimed but never started: handed back without counting the attempt.
      const unstarted = ready.splice(0).map((j) => j.id);
      if (unstarted.length) await queue.release(instanceId, unstarted);
      const all = Promise.all([...active.values()].map((a) => a.done));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      await flush();
      const left = [...active.values()];
      for (const a of left) {
        a.released = true;
        a.abort.abort();
      }
      if (left.length) {
        const n = await queue.release(
          instanceId,
          left.map((a) => a.job.id),
        );
        log.warn('released unfinished jobs at shutdown', { count: n });
      }
      clearInterval(renewTimer);
      clearInterval(beatTimer);
      await held
        ?.release()
        .catch((e) => log.error('could not give up the instance id', { error: e as Error }));
      held = undefined;
      log.info('worker stopped', { instanceId });
    },
  };
}
