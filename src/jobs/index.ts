import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { type JobAdmin, jobAdmin } from './admin.ts';
import { instanceIds } from './instance.ts';
import { createJobQueue, type JobQueue } from './queue.ts';
import { createScheduler, type ScheduleDefinition } from './schedule.ts';
import type { JobDefinition } from './types.ts';
import { upkeepJob, upkeepJobType } from './upkeep.ts';
import { createWorker, type Worker } from './worker.ts';

export { backlogThresholdSeconds, type JobAdmin, type JobStats } from './admin.ts';
export { retryDelayMs } from './backoff.ts';
export type { JobQueue } from './queue.ts';
export { nextRun, type ScheduleDefinition } from './schedule.ts';
export * from './types.ts';
export { type AreaJobs, areaJobs, type UpkeepJobType, upkeepJob, upkeepJobType } from './upkeep.ts';
export type { Worker } from './worker.ts';

export interface JobSystemOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Handlers registered by app.ts (jobs/ never imports domain/). */
  definitions: JobDefinition<any>[];
  schedules: ScheduleDefinition[];
  instanceId: string;
  concurrency: number;
  retentionDays: number;
  pollMs?: number;
  leaseMs?: number;
  reapEveryMs?: number;
}

export interface JobSystem {
  queue: JobQueue;
  admin: JobAdmin;
  /**
   * Adds handlers (and their schedules) after construction: domain services need the queue to
   * enqueue, and their handlers need the services. Call before createWorker().
   */
  register(definitions: JobDefinition<any>[], schedules?: ScheduleDefinition[]): void;
  /** A worker over this queue (started by serve unless --no-worker, or by `clinicbox worker`). */
  createWorker(): Worker;
}

/** The queue's own upkeep: delete succeeded and cancelled jobs past the retention period. */
const PRUNE_FINISHED = upkeepJobType('jobs.prune-finished', '17 3 * * *');
const pruneFinishedJob = (admin: JobAdmin, clock: Clock, retentionDays: number) =>
  upkeepJob(
    PRUNE_FINISHED,
    async ({ log }) => {
      const deleted = await admin.pruneFinished(new Date(clock.now().getTime() - retentionDays * 86_400_000));
      if (deleted) log.info('pruned finished jobs', { deleted, retentionDays });
    },
    { maxAttempts: 3 },
  );

export function createJobSystem(options: JobSystemOptions): JobSystem {
  const { db, clock, log } = options;
  const admin = jobAdmin({ db, clock });
  const definitions = new Map<string, JobDefinition<any>>();
  const register = (defs: JobDefinition<any>[]) => {
    for (const d of defs) {
      if (definitions.has(d.name)) throw new Error(`job "${d.name}" is defined twice`);
      definitions.set(d.name, d);
    }
  };
  const pruneFinished = pruneFinishedJob(admin, clock, options.retentionDays);
  register([...pruneFinished.definitions, ...options.definitions]);
  const schedules: ScheduleDefinition[] = [...pruneFinished.schedules, ...options.schedules];
  const queue = createJobQueue({ db, clock, definitions });
  return {
    queue,
    admin,
    register(defs, more = []) {
      register(defs);
      schedules.push(...more);
    },
    createWorker: () =>
      createWorker({
        queue,
        definitions,
        clock,
        log: log.child({ component: 'worker' }),
        instanceId: options.instanceId,
        instanceIds: instanceIds({ db, clock }),
        concurrency: options.concurrency,
        pollMs: options.pollMs,
        leaseMs: options.leaseMs,
        reapEveryMs: options.reapEveryMs,
        scheduler: createScheduler({ db, queue, clock, log, schedules }),
      }),
  };
}
