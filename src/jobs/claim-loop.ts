import type { Logger } from '../lib/log.ts';
import { type RunnerDeps, startReadyJobs } from './job-runner.ts';
import type { Scheduler } from './schedule.ts';
import type { Job } from './types.ts';

export interface ClaimLoopDeps extends RunnerDeps {
  log: Logger;
  leaseMs: number;
  pollMs: number;
  reapEveryMs: number;
  /** Claimed jobs kept in hand beyond the running ones while jobs are quick. */
  maxPrefetch: number;
  /** Jobs quicker than this on average (ms) are prefetched. */
  quickJobMs: number;
  scheduler?: Scheduler | undefined;
}

/**
 * The worker's loop, until stop(): now and then hands back expired leases of dead workers and
 * enqueues due schedules; claims as many jobs as there is room for (with the successes since the
 * last claim recorded in the same transaction), starts them, and claims again at once after a
 * full batch; otherwise sleeps until an enqueue here, a freed slot, or the poll interval.
 */
export async function runClaimLoop(deps: ClaimLoopDeps): Promise<void> {
  const { queue, log, state, waker } = deps;
  let lastReap = 0;
  let lastSchedule = 0;
  while (!state.stopping) {
    try {
      const now = Date.now();
      if (now - lastReap >= deps.reapEveryMs) {
        lastReap = now;
        const n = await queue.reapExpired();
        if (n) log.warn('released jobs whose worker stopped', { count: n });
      }
      if (deps.scheduler && now - lastSchedule >= deps.pollMs) {
        lastSchedule = now;
        await deps.scheduler.enqueueDue();
      }
      if (state.stopping) break; // stop() may have come during the reap or the schedules
      const free = roomToClaim(deps);
      // Finished jobs ride with the claim, or go alone when there is no room to claim: never left
      // waiting, so a crash repeats at most the jobs that were running.
      const finished = state.completed;
      state.completed = [];
      let claimed: Job[] = [];
      try {
        if (free > 0 || finished.length)
          claimed = await queue.claim(state.instanceId, free, deps.leaseMs, finished);
      } catch (e) {
        state.completed.push(...finished); // not recorded: the next claim or the shutdown flush tries again
        throw e;
      }
      state.ready.push(...claimed);
      if (state.stopping) break; // claimed while stop() came: stop() hands them back uncounted
      startReadyJobs(deps);
      if (claimed.length > 0 && claimed.length === free) continue; // maybe more waiting: go again
      // Sleep until: an enqueue here, a slot frees, or the poll interval.
      await waker.sleep(deps.pollMs);
    } catch (e) {
      log.error('worker loop error; retrying', { error: e as Error });
      await waker.sleep(deps.pollMs);
    }
  }
}

/**
 * How many jobs to claim: in hand are the running and the waiting ones; claim once they fit the
 * slots, as many as there is room for — with the prefetch on top while jobs are quick.
 */
function roomToClaim(deps: ClaimLoopDeps): number {
  const { state, concurrency } = deps;
  const inHand = state.active.size + state.ready.length;
  const prefetch = state.meanRunMs !== undefined && state.meanRunMs < deps.quickJobMs ? deps.maxPrefetch : 0;
  return inHand <= concurrency ? concurrency + prefetch - inHand : 0;
}
