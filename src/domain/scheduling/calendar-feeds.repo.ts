import { eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';

/** Queries of the practitioners' secret calendar-feed links (only the token's hash is kept). */

/** Makes `tokenHash` the practitioner's one feed link (any earlier one is deleted). */
export async function replaceCalendarFeed(
  ctx: DbCtx,
  practitionerId: string,
  tokenHash: string,
  now: Date,
): Promise<void> {
  const f = ctx.t.calendarFeeds;
  await ctx.db.delete(f).where(eq(f.practitionerId, practitionerId));
  await ctx.db.insert(f).values({ tokenHash, practitionerId, createdAt: now });
}

export async function hasCalendarFeed(ctx: DbCtx, practitionerId: string): Promise<boolean> {
  const f = ctx.t.calendarFeeds;
  const rows = await ctx.db.select({ id: f.tokenHash }).from(f).where(eq(f.practitionerId, practitionerId));
  return rows.length > 0;
}

/** The feed a token hash opens, with the practitioner's display name. */
export async function findCalendarFeed(
  ctx: DbCtx,
  tokenHash: string,
): Promise<{ practitionerId: string; name: string } | undefined> {
  const { calendarFeeds: f, practitionerProfiles: p } = ctx.t;
  const [row] = await ctx.db
    .select({ practitionerId: f.practitionerId, name: p.displayName })
    .from(f)
    .innerJoin(p, eq(p.accountId, f.practitionerId))
    .where(eq(f.tokenHash, tokenHash));
  return row;
}
