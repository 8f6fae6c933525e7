import { and, eq, gt, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, firstRow, updateWhere } from '../../db/rows.ts';
import type { StaffAccount } from './accounts.repo.ts';

/**
 * Staff passkeys (`staff_passkeys`) and the WebAuthn challenges every passkey owner shares
 * (`auth_challenges`, staff and patients alike): every query of those tables.
 */
export type StaffPasskey = typeof import('../../db/schema/sqlite.ts').staffPasskeys.$inferSelect;
type AuthChallenge = typeof import('../../db/schema/sqlite.ts').authChallenges.$inferSelect;

/** The account's passkeys, oldest first. */
export function listStaffPasskeys(ctx: DbCtx, accountId: string): Promise<StaffPasskey[]> {
  const p = ctx.t.staffPasskeys;
  return ctx.db.select().from(p).where(eq(p.accountId, accountId)).orderBy(p.createdAt);
}

export async function insertStaffPasskey(
  ctx: DbCtx,
  values: Omit<StaffPasskey, 'lastUsedAt'>,
): Promise<void> {
  await ctx.db.insert(ctx.t.staffPasskeys).values(values);
}

/** Deletes the account's passkey with this id: false when the account has no such passkey. */
export async function deleteStaffPasskey(ctx: DbCtx, accountId: string, passkeyId: string): Promise<boolean> {
  const p = ctx.t.staffPasskeys;
  return (await deleteWhere(ctx, p, and(eq(p.id, passkeyId), eq(p.accountId, accountId)))) === 1;
}

export async function deleteStaffPasskeys(ctx: DbCtx, accountId: string): Promise<void> {
  const p = ctx.t.staffPasskeys;
  await deleteWhere(ctx, p, eq(p.accountId, accountId));
}

/** A passkey with the account it belongs to. */
export type PasskeyWithAccount = { passkey: StaffPasskey; account: StaffAccount };

/** The passkey with this credential id and its account (whatever its status), or null. */
export function findStaffPasskeyWithAccount(ctx: DbCtx, id: string): Promise<PasskeyWithAccount | null> {
  const { staffPasskeys: p, staffAccounts: a } = ctx.t;
  const passkeys = ctx.db.select({ passkey: p, account: a }).from(p).innerJoin(a, eq(a.id, p.accountId));
  return firstRow(passkeys.where(eq(p.id, id)));
}

/** Stores the signature counter of a passkey's latest use. */
export function recordStaffPasskeyUse(ctx: DbCtx, id: string, counter: number, at: Date): Promise<void> {
  const p = ctx.t.staffPasskeys;
  return updateWhere(ctx, p, eq(p.id, id), { counter, lastUsedAt: at });
}

// ---------------------------------------------------------------- WebAuthn challenges

export async function insertAuthChallenge(ctx: DbCtx, values: AuthChallenge): Promise<void> {
  await ctx.db.insert(ctx.t.authChallenges).values(values);
}

/** Deletes the unexpired challenge for `purpose` and answers the rows deleted (none or one). */
export function takeAuthChallenge(
  ctx: DbCtx,
  challenge: string,
  purpose: AuthChallenge['purpose'],
  now: Date,
): Promise<AuthChallenge[]> {
  const c = ctx.t.authChallenges;
  return ctx.db
    .delete(c)
    .where(and(eq(c.challenge, challenge), eq(c.purpose, purpose), gt(c.expiresAt, now)))
    .returning();
}

export async function deleteExpiredAuthChallenges(ctx: DbCtx, now: Date): Promise<void> {
  const c = ctx.t.authChallenges;
  await deleteWhere(ctx, c, lt(c.expiresAt, now));
}
