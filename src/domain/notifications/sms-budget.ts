import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { countSegments } from '../../notify/sms/index.ts';

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
    /**
     * Counts `text`'s segments for the delivery against this month, once: true when it may go
     * (counted now or on an earlier try); false (nothing counted) when over budget.
     */
    async reserve(deliveryId: string, text: string, options: { essential: boolean }): Promise<boolean> {
      const { segments } = countSegments(text);
      const month = monthOf();
      return db.tx(async (ctx) => {
        const d = ctx.t.deliveries;
        const u = ctx.t.smsUsage;
        const claimed = await ctx.db
          .update(d)
          .set({ smsSegments: segments })
          .where(and(eq(d.id, deliveryId), isNull(d.smsSegments)))
          .returning({ id: d.id });
        if (!claimed[0]) return true; // counted on an earlier try
        await ctx.db.insert(u).values({ month, segments: 0 }).onConflictDoNothing();
        const limited = !options.essential && monthlyLimit > 0;
        const counted = await ctx.db
          .update(u)
          .set({ segments: sql`${u.segments} + ${segments}` })
          .where(
            limited
              ? and(eq(u.month, month), sql`${u.segments} + ${segments} <= ${monthlyLimit}`)
              : eq(u.month, month),
          )
          .returning({ month: u.month });
        if (counted[0]) return true;
        await ctx.db.update(d).set({ smsSegments: null }).where(eq(d.id, deliveryId));
        return false;
      });
    },
  };
}

export type SmsBudget = ReturnType<typeof smsBudget>;
