import { eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, firstRow, hasRow } from '../../db/rows.ts';

/** Queries of the practitioners' secret calendar-feed links (only the token's hash is kept). */

/** Makes `tokenHash` the practitioner's one feed link (any earlier one is deleted). */
export async function replaceCalendarFeed(
  ctx: DbCtx,
  practitionerId: string,
  tokenHash: string,
  now: Date,
): Promise<void> {
  const f = ctx.t.calendarFeeds;
  await deleteWhere(ctx, f, eq(f.practitionerId, practitionerId));
  await ctx.db.insert(f).values({ tokenHash, practitionerId, createdAt: now });
}

/** Deletes the practitioner's feed link: whether there was one. */
export async function deleteCalendarFeed(ctx: DbCtx, practitionerId: string): Promise<boolean> {
  const f = ctx.t.calendarFeeds;
  return (await deleteWhere(ctx, f, eq(f.practitionerId, practitionerId))) > 0;
}

/** The practitioners who have a feed link. */
export async function listCalendarFeedOwners(ctx: DbCtx): Promise<string[]> {
  const f = ctx.t.calendarFeeds;
  const rows = await ctx.db.selectDistinct({ id: f.practitionerId }).from(f);
  return rows.map((r) => r.id);
}

export function hasCalendarFeed(ctx: DbCtx, practitionerId: string): Promise<boolean> {
  const f = ctx.t.calendarFeeds;
  return hasRow(ctx, f, eq(f.practitionerId, practitionerId));
}

/** Whose calendar a feed link opens: the practitioner and their display name. */
export type CalendarFeedOwner = { practitionerId: string; name: string };

/** The feed a token hash opens, with the practitioner's display name. */
export function findCalendarFeed(ctx: DbCtx, tokenHash: string): Promise<CalendarFeedOwner | null> {
  const { calendarFeeds: f, practitionerProfiles: p } = ctx.t;
  const feeds = ctx.db
    .select({ practitionerId: f.practitionerId, name: p.displayName })
    .from(f)
    .innerJoin(p, eq(p.accountId, f.practitionerId));
  return firstRow(feeds.where(eq(f.tokenHash, tokenHash)));
}
