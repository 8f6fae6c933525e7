import { z } from 'zod';
import { defineJob } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { DeliveryLog } from './deliveries.ts';

export const PRUNE_DELIVERIES = 'notifications.prune-deliveries';

/** The delivery log keeps `retentionDays` of history (`--delivery-retention`), pruned nightly. */
export function notificationJobs(deps: { log: DeliveryLog; clock: Clock; retentionDays: number }) {
  const prune = defineJob({
    name: PRUNE_DELIVERIES,
    payload: z.object({}).passthrough(),
    async handle() {
      await deps.log.prune(new Date(deps.clock.now().getTime() - deps.retentionDays * 86_400_000));
    },
  });
  return {
    definitions: [prune],
    schedules: [{ id: PRUNE_DELIVERIES, cron: '17 3 * * *', job: PRUNE_DELIVERIES }],
  };
}
