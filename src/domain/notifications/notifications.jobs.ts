import { upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { DeliveryLog } from './deliveries.ts';

export const PRUNE_DELIVERIES = upkeepJobType('notifications.prune-deliveries', '17 3 * * *');

/** The delivery log keeps `retentionDays` of history (`--delivery-retention`), pruned nightly. */
export function notificationJobs(deps: { log: DeliveryLog; clock: Clock; retentionDays: number }) {
  return upkeepJob(PRUNE_DELIVERIES, () =>
    deps.log.prune(new Date(deps.clock.now().getTime() - deps.retentionDays * 86_400_000)),
  );
}
