import { z } from 'zod';
import type { ScheduleDefinition } from './schedule.ts';
import { defineJob, type JobContext, type JobDefinition, type JobType } from './types.ts';

/**
 * Upkeep jobs: pruning, purging, sweeping — a job with no payload that a schedule enqueues, and
 * that can also be enqueued by hand (`{}`). Declared once with its cron, it gives both the handler
 * and the schedule (whose stable id is the job's name), so an area writes only what the job does.
 */
export interface UpkeepJobType extends JobType<Record<string, unknown>> {
  /** When its schedule enqueues it: a cron expression, read in UTC. */
  readonly cron: string;
}

/** What an area registers: its handlers and its recurring schedules. */
export interface AreaJobs {
  definitions: JobDefinition<any>[];
  schedules: ScheduleDefinition[];
}

/** The upkeep job `name` (`area.verb-noun`), enqueued on `cron` (UTC). */
export const upkeepJobType = (name: string, cron: string): UpkeepJobType => ({
  name,
  payload: z.object({}).passthrough(),
  cron,
});

/**
 * The handler of the upkeep job `type` and its schedule: each run calls `run` (what it resolves to
 * is dropped), with the retry policy in `options` (else the queue's defaults).
 */
export function upkeepJob(
  type: UpkeepJobType,
  run: (ctx: JobContext) => Promise<unknown>,
  options: Pick<JobDefinition, 'maxAttempts' | 'backoff' | 'timeoutMs'> = {},
): AreaJobs {
  return {
    definitions: [
      defineJob(type, {
        ...options,
        async handle(_payload, ctx) {
          await run(ctx);
        },
      }),
    ],
    schedules: [{ id: type.name, cron: type.cron, job: type }],
  };
}

/** An area's jobs, in order: each job definition, and each upkeep job's definition and schedule. */
export function areaJobs(...jobs: (JobDefinition<any> | AreaJobs)[]): AreaJobs {
  const all: AreaJobs = { definitions: [], schedules: [] };
  for (const job of jobs) {
    if ('definitions' in job) {
      all.definitions.push(...job.definitions);
      all.schedules.push(...job.schedules);
    } else all.definitions.push(job);
  }
  return all;
}
