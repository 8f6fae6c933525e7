import type { Logger } from '../lib/log.ts';
import type { HeldInstanceId } from './instance.ts';
import type { JobQueue } from './queue.ts';
import type { Waker, WorkerState } from './worker-state.ts';

/** What a started worker has running, for stop() to end. */
export interface Running {
  loopDone: Promise<void>;
  unsubscribe: () => void;
  renewTimer: ReturnType<typeof setInterval> | undefined;
  beatTimer: ReturnType<typeof setInterval> | undefined;
  held: HeldInstanceId | undefined;
}

export interface ShutdownDeps {
  queue: JobQueue;
  log: Logger;
  state: WorkerState;
  waker: Waker;
}

/**
 * Stops the worker: no more claims (the loop ends); claimed jobs never started are handed back
 * without counting the attempt; running ones get `graceMs` to finish; successes are recorded;
 * what still runs is aborted and handed back uncounted too. Then the timers stop and the
 * instance id is given up.
 */
export async function shutDown(deps: ShutdownDeps, running: Running, graceMs: number): Promise<void> {
  const { queue, log, state } = deps;
  state.stopping = true;
  running.unsubscribe();
  deps.waker.signal();
  await running.loopDone;
  // Claimed but never started: handed back without counting the attempt.
  const unstarted = state.ready.splice(0).map((j) => j.id);
  if (unstarted.length) await queue.release(state.instanceId, unstarted);
  const all = Promise.all([...state.active.values()].map((a) => a.done));
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
  clearTimeout(timer);
  await flushCompleted(deps);
  const left = [...state.active.values()];
  for (const a of left) {
    a.released = true;
    a.abort.abort();
  }
  if (left.length) {
    const n = await queue.release(
      state.instanceId,
      left.map((a) => a.job.id),
    );
    log.warn('released unfinished jobs at shutdown', { count: n });
  }
  clearInterval(running.renewTimer);
  clearInterval(running.beatTimer);
  await running.held
    ?.release()
    .catch((e) => log.error('could not give up the instance id', { error: e as Error }));
  running.held = undefined;
  log.info('worker stopped', { instanceId: state.instanceId });
}

/** Records the successes not recorded yet (the loop, which would have, has ended). */
function flushCompleted(deps: ShutdownDeps): Promise<void> {
  const { state } = deps;
  if (state.flushing) return state.flushing;
  state.flushing = (async () => {
    while (state.completed.length > 0) {
      const ids = state.completed;
      state.completed = [];
      try {
        await deps.queue.complete(state.instanceId, ids);
      } catch (e) {
        // Not recorded: the lease will expire and the jobs run again (at-least-once).
        deps.log.error('could not record finished jobs', { count: ids.length, error: e as Error });
      }
    }
  })().finally(() => {
    state.flushing = null;
  });
  return state.flushing;
}
