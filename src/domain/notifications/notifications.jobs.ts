import { z } from 'zod';
import { defineJob, jobType } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { DeliveryLog } from './deliveries.ts';

export const PRUNE_DELIVERIES = jobType('notifications.prune-deliveries', z.object({}).passthrough());

/** The delivery log keeps `retentionDays` of history (`--delivery-retention`), pruned nightly. */
export function notificationJobs(deps: { log: DeliveryLog; clock: Clock; retentionDays: number }) {
  const prune = defineJob(PRUNE_DELIVERIES, {
    async handle() {
      await deps.log.prune(new Date(deps.clock.now().getTime() - deps.retentionDays * 86_400_000));
    },
  });
  return {
    definitions: [prune],
    schedules: [{ id: PRUNE_DELIVERIES.name, cron: '17 3 * * *', job: PRUNE_DELIVERIES }],
  };
}
