import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { countSegments } from '../../notify/sms/index.ts';

/**
 * The clinic's monthly SMS budget, in segments (`--sms-monthly-limit`; 0 = none). Every SMS is
 * counted when it is about to go; an optional one (an invitation, later reminders) is refused once
 * the month's budget is spent — its sender falls back to email — while an essential one (a
 * sign-in code the patient is waiting for) always goes and is still counted.
 */
export function smsBudget(deps: { db: Db; clock: Clock; monthlyLimit: number }) {
  const { db, clock, monthlyLimit } = deps;
  const monthOf = () => clock.now().toISOString().slice(0, 7);
  return {
    /** Counts `text`'s segments against this month; false (nothing counted) when over budget. */
    async reserve(text: string, options: { essential: boolean }): Promise<boolean> {
      const { segments } = countSegments(text);
      const month = monthOf();
      return db.tx(async (ctx) => {
        const u = ctx.t.smsUsage;
        const [row] = await ctx.db.select().from(u).where(eq(u.month, month));
        const used = row?.segments ?? 0;
        if (!options.essential && monthlyLimit > 0 && used + segments > monthlyLimit) return false;
        await ctx.db
          .insert(u)
          .values({ month, segments })
          .onConflictDoUpdate({ target: u.month, set: { segments: sql`${u.segments} + ${segments}` } });
        return true;
      });
    },
  };
}

export type SmsBudget = ReturnType<typeof smsBudget>;
