import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { countSegments } from '../../notify/sms/index.ts';
import {
  addSmsSegments,
  claimDeliverySegments,
  clearDeliverySegments,
  monthSegments,
} from './notifications.repo.ts';

/**
 * The clinic's monthly SMS budget, in segments (`--sms-monthly-limit`; 0 = none). Each SMS
 * delivery is counted once, when it is first about to go (the delivery row records its segments,
 * so a retry is not counted again); an optional one (an invitation, later reminders) is refused
 * once the month's budget would be passed — its sender falls back to email — while an essential
 * one (a sign-in code the patient is waiting for) always goes and is still counted. The check and
 * the count are one conditional update, so concurrent senders (several workers on PostgreSQL)
 * never pass the limit between them.
 */
export function smsBudget(deps: { db: Db; clock: Clock; monthlyLimit: number }) {
  const { db, clock, monthlyLimit } = deps;
  const monthOf = () => clock.now().toISOString().slice(0, 7);
  return {
    /** The monthly limit in segments (0 = none). */
    monthlyLimit,
    /** The segments counted against this month's budget so far (for /metrics). */
    usedThisMonth: () => monthSegments(db.reader, monthOf()),
    /**
     * Counts `text`'s segments for the delivery against this month, once: true when it may go
     * (counted now or on an earlier try); false (nothing counted) when over budget.
     */
    async reserve(deliveryId: string, text: string, options: { essential: boolean }): Promise<boolean> {
      const { segments } = countSegments(text);
      const month = monthOf();
      return db.tx(async (ctx) => {
        if (!(await claimDeliverySegments(ctx, deliveryId, segments))) return true; // counted on an earlier try
        const limited = !options.essential && monthlyLimit > 0;
        if (await addSmsSegments(ctx, month, segments, limited ? monthlyLimit : null)) return true;
        await clearDeliverySegments(ctx, deliveryId);
        return false;
      });
    },
  };
}

export type SmsBudget = ReturnType<typeof smsBudget>;
