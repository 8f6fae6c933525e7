import { z } from 'zod';
import type { App } from '../app.ts';
import { type JobType, jobType } from '../jobs/index.ts';
import { until } from './wait.ts';

/** A job type for queue tests: any payload, under `name` (handlers, if any, are the test's). */
export const testJob = (name: string): JobType<any> => jobType(name, z.any());

/**
 * Waits until no job (named `name`, or none at all) is running or due by the app's clock: what
 * was enqueued so far has run, or waits for a later time. A message sent by a job has then
 * reached its sink (each sink answers only once it holds the message).
 */
export async function jobsDone(app: App, name?: string, ms?: number): Promise<void> {
  await until(
    `no ${name ?? ''} job due or running`.replace('  ', ' '),
    async () => {
      const stats = await app.deps.jobs.admin.stats(name ? { name } : {});
      return stats.oldestDueSeconds === null && stats.counts.running === 0;
    },
    ms,
  );
}
