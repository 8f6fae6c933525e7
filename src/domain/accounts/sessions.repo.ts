import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, firstRow, insertRow, updateWhere } from '../../db/rows.ts';
import type { StaffAccount } from './accounts.repo.ts';

/** Staff sessions (`staff_sessions`): every query of the table. */
export type StaffSession = typeof import('../../db/schema/sqlite.ts').staffSessions.$inferSelect;

export function insertStaffSession(ctx: DbCtx, values: StaffSession): Promise<StaffSession> {
  return insertRow(ctx, ctx.t.staffSessions, values);
}

/** A session with the account it belongs to. */
export type SessionWithAccount = { session: StaffSession; account: StaffAccount };

/** The session with this id and its account (whatever their state), or null. */
export function findStaffSessionWithAccount(ctx: DbCtx, id: string): Promise<SessionWithAccount | null> {
  const { staffSessions: s, staffAccounts: a } = ctx.t;
  const sessions = ctx.db.select({ session: s, account: a }).from(s).innerJoin(a, eq(a.id, s.accountId));
  return firstRow(sessions.where(eq(s.id, id)));
}

export async function deleteStaffSession(ctx: DbCtx, id: string): Promise<void> {
  const s = ctx.t.staffSessions;
  await deleteWhere(ctx, s, eq(s.id, id));
}

export function touchStaffSession(ctx: DbCtx, id: string, lastSeenAt: Date): Promise<void> {
  const s = ctx.t.staffSessions;
  return updateWhere(ctx, s, eq(s.id, id), { lastSeenAt });
}

/** Records that the session's member proved who they are at `at` (password, second factor). */
export function markStaffSessionReauthenticated(ctx: DbCtx, id: string, at: Date): Promise<void> {
  const s = ctx.t.staffSessions;
  return updateWhere(ctx, s, eq(s.id, id), { reauthenticatedAt: at });
}

/** Deletes the account's session with this id: false when the account has no such session. */
export async function deleteAccountSession(
  ctx: DbCtx,
  accountId: string,
  sessionId: string,
): Promise<boolean> {
  const s = ctx.t.staffSessions;
  return (await deleteWhere(ctx, s, and(eq(s.id, sessionId), eq(s.accountId, accountId)))) === 1;
}

/** Deletes every session of the account; how many there were. */
export function deleteAccountSessions(ctx: DbCtx, accountId: string): Promise<number> {
  const s = ctx.t.staffSessions;
  return deleteWhere(ctx, s, eq(s.accountId, accountId));
}

/** The account's sessions, most recently seen first. */
export function listAccountSessions(ctx: DbCtx, accountId: string): Promise<StaffSession[]> {
  const s = ctx.t.staffSessions;
  return ctx.db.select().from(s).where(eq(s.accountId, accountId)).orderBy(desc(s.lastSeenAt));
}

/** Deletes sessions that expired before `now` or were last seen before `idleBefore`; how many. */
export function deleteStaleStaffSessions(ctx: DbCtx, now: Date, idleBefore: Date): Promise<number> {
  const s = ctx.t.staffSessions;
  return deleteWhere(ctx, s, or(lt(s.expiresAt, now), lt(s.lastSeenAt, idleBefore)));
}
