import type { Logger } from '../lib/log.ts';
import type { JobQueue } from './queue.ts';
import type { WorkerState } from './worker-state.ts';

/**
 * Extends the leases of the jobs in hand (running, and claimed but waiting for a slot). A job
 * whose lease was not extended is no longer ours (it ran out — a stalled process — and another
 * worker claimed it): a waiting one is dropped; a running one's handler is aborted and its
 * outcome dropped, so two runs do not go on side by side (the new owner's result stands).
 * Called on a timer; never throws (a failed renewal is logged, the next one tries again).
 */
export function renewLeases(deps: {
  queue: JobQueue;
  log: Logger;
  state: WorkerState;
  leaseMs: number;
}): void {
  const { state, log } = deps;
  const ids = [
    ...[...state.active.values()].filter((a) => !a.released && !a.lost).map((a) => a.job.id),
    ...state.ready.map((j) => j.id),
  ];
  if (ids.length === 0) return;
  deps.queue.renew(state.instanceId, ids, deps.leaseMs).then(
    (renewed) => dropLost(deps, ids, new Set(renewed)),
    (e) => log.error('lease renewal failed', { error: e as Error }),
  );
}

/** Drops the jobs asked about (`ids`) whose lease was not `kept`. */
function dropLost(deps: { log: Logger; state: WorkerState }, ids: number[], kept: Set<number>): void {
  const { state, log } = deps;
  const { instanceId } = state;
  const asked = new Set(ids);
  for (let i = state.ready.length - 1; i >= 0; i--) {
    const job = state.ready[i]!;
    if (kept.has(job.id) || !asked.has(job.id)) continue;
    state.ready.splice(i, 1);
    log.warn('lease lost before the job started: another process has it now', {
      jobId: job.id,
      job: job.name,
      instanceId,
    });
  }
  for (const id of ids) {
    const entry = state.active.get(id);
    if (kept.has(id) || !entry || entry.released) continue;
    entry.lost = true;
    entry.abort.abort();
    log.warn('lease lost: another process has this job now; its run here is aborted', {
      jobId: id,
      job: entry.job.name,
      instanceId,
    });
  }
}
