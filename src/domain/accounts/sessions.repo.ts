import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import type { StaffAccount } from './accounts.repo.ts';

/** Staff sessions (`staff_sessions`): every query of the table. */
export type StaffSession = typeof import('../../db/schema/sqlite.ts').staffSessions.$inferSelect;

export async function insertStaffSession(ctx: DbCtx, values: StaffSession): Promise<StaffSession> {
  const [row] = await ctx.db.insert(ctx.t.staffSessions).values(values).returning();
  return row!;
}

/** The session with this id and its account (whatever their state), or null. */
export async function findStaffSessionWithAccount(
  ctx: DbCtx,
  id: string,
): Promise<{ session: StaffSession; account: StaffAccount } | null> {
  const { staffSessions: s, staffAccounts: a } = ctx.t;
  const [row] = await ctx.db
    .select({ session: s, account: a })
    .from(s)
    .innerJoin(a, eq(a.id, s.accountId))
    .where(eq(s.id, id));
  return row ?? null;
}

export async function deleteStaffSession(ctx: DbCtx, id: string): Promise<void> {
  const s = ctx.t.staffSessions;
  await ctx.db.delete(s).where(eq(s.id, id));
}

export async function touchStaffSession(ctx: DbCtx, id: string, lastSeenAt: Date): Promise<void> {
  const s = ctx.t.staffSessions;
  await ctx.db.update(s).set({ lastSeenAt }).where(eq(s.id, id));
}

/** Deletes the account's session with this id: false when the account has no such session. */
export async function deleteAccountSession(
  ctx: DbCtx,
  accountId: string,
  sessionId: string,
): Promise<boolean> {
  const s = ctx.t.staffSessions;
  const rows = await ctx.db
    .delete(s)
    .where(and(eq(s.id, sessionId), eq(s.accountId, accountId)))
    .returning({ id: s.id });
  return rows.length === 1;
}

/** Deletes every session of the account; how many there were. */
export async function deleteAccountSessions(ctx: DbCtx, accountId: string): Promise<number> {
  const s = ctx.t.staffSessions;
  const rows = await ctx.db.delete(s).where(eq(s.accountId, accountId)).returning({ id: s.id });
  return rows.length;
}

/** The account's sessions, most recently seen first. */
export function listAccountSessions(ctx: DbCtx, accountId: string): Promise<StaffSession[]> {
  const s = ctx.t.staffSessions;
  return ctx.db.select().from(s).where(eq(s.accountId, accountId)).orderBy(desc(s.lastSeenAt));
}

/** Deletes sessions that expired before `now` or were last seen before `idleBefore`; how many. */
export async function deleteStaleStaffSessions(ctx: DbCtx, now: Date, idleBefore: Date): Promise<number> {
  const s = ctx.t.staffSessions;
  const rows = await ctx.db
    .delete(s)
    .where(or(lt(s.expiresAt, now), lt(s.lastSeenAt, idleBefore)))
    .returning({ id: s.id });
  return rows.length;
}
