import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { inSpan, tracing } from '../lib/tracing.ts';
import { retryDelayMs } from './backoff.ts';
import type { JobQueue } from './queue.ts';
import { failureEndsJob, type Job, type JobDefinition, jobDefaults } from './types.ts';
import { type Active, noteRunTime, type Waker, type WorkerState } from './worker-state.ts';

export interface RunnerDeps {
  queue: JobQueue;
  definitions: ReadonlyMap<string, JobDefinition<any>>;
  clock: Clock;
  log: Logger;
  concurrency: number;
  random: () => number;
  state: WorkerState;
  waker: Waker;
}

/**
 * Starts claimed jobs while there are free slots (and the worker is not stopping). Each run frees
 * its slot when it ends, starts the next one in hand and wakes the claim loop.
 */
export function startReadyJobs(deps: RunnerDeps): void {
  const { state } = deps;
  while (!state.stopping && state.active.size < deps.concurrency && state.ready.length > 0) {
    startJob(deps, state.ready.shift()!);
  }
}

function startJob(deps: RunnerDeps, job: Job): void {
  const { state } = deps;
  const entry: Active = {
    job,
    abort: new AbortController(),
    done: Promise.resolve(),
    released: false,
    lost: false,
  };
  entry.done = runJob(deps, entry)
    .catch((e) => deps.log.error('job bookkeeping failed', { jobId: job.id, error: e as Error }))
    .finally(() => {
      if (state.active.get(job.id) === entry) state.active.delete(job.id);
      startReadyJobs(deps);
      deps.waker.signal();
    });
  state.active.set(job.id, entry);
}

/** A logger bound to the job, built only when something is logged (most jobs log nothing). */
function jobLogger(log: Logger, job: Job): Logger {
  let child: Logger | undefined;
  const bound = () =>
    (child ??= log.child({
      jobId: job.id,
      job: job.name,
      attempt: job.attempts,
      requestId: job.requestId ?? undefined,
    }));
  return {
    debug: (m, f) => bound().debug(m, f),
    info: (m, f) => bound().info(m, f),
    warn: (m, f) => bound().warn(m, f),
    error: (m, f) => bound().error(m, f),
    child: (b) => bound().child(b),
  };
}

/**
 * Runs one job's handler within its timeout. A success is buffered for the next claim to record;
 * a failure is recorded now: queued again after a backoff, or dead (permanent, out of attempts,
 * unknown name, invalid payload). A run released at shutdown or whose lease was lost records
 * nothing: the job is someone else's now.
 */
async function runJob(deps: RunnerDeps, entry: Active): Promise<void> {
  const { queue, state } = deps;
  const { job, abort } = entry;
  const definition = deps.definitions.get(job.name);
  const jobLog = jobLogger(deps.log, job);
  if (!definition) {
    await queue.fail(state.instanceId, job.id, `no handler is registered for job name "${job.name}"`, null);
    jobLog.error('job dead: unknown name');
    return;
  }
  const parsed = definition.payload.safeParse(job.payload);
  if (!parsed.success) {
    await queue.fail(
      state.instanceId,
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
      traced(job, () =>
        definition.handle(parsed.data, { job, attempt: job.attempts, signal: abort.signal, log: jobLog }),
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new Error(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
    if (entry.released || entry.lost) return;
    state.completed.push(job.id);
  } catch (e) {
    // Released at shutdown: not a failure (stop() hands it back uncounted). A timeout during
    // the grace period is not a release: the run ended, and is recorded as a failed attempt.
    if (entry.released || entry.lost) return;
    const message = e instanceof Error ? e.message : String(e);
    const last = failureEndsJob({ job, attempt: job.attempts }, e);
    const retryAt = last
      ? null
      : new Date(
          deps.clock.now().getTime() +
            retryDelayMs(job.attempts, definition.backoff ?? jobDefaults.backoff, deps.random),
        );
    await queue.fail(state.instanceId, job.id, message.slice(0, 2000), retryAt);
    if (last) jobLog.error('job dead', { error: message });
    else jobLog.warn('job failed, will retry', { error: message, retryAt: retryAt?.toISOString() });
  } finally {
    clearTimeout(timer);
    noteRunTime(state, performance.now() - began);
  }
}

/** The run in a span of its own when tracing (named by the job; its request id as an attribute). */
function traced(job: Job, run: () => Promise<unknown>): Promise<unknown> {
  if (!tracing()) return run();
  return inSpan(
    `job ${job.name}`,
    {
      'clinicbox.job.id': job.id,
      'clinicbox.job.attempt': job.attempts,
      ...(job.requestId ? { 'clinicbox.request_id': job.requestId } : {}),
    },
    run,
  );
}
