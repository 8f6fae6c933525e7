import { and, eq, gt, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
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
  const rows = await ctx.db
    .delete(p)
    .where(and(eq(p.id, passkeyId), eq(p.accountId, accountId)))
    .returning({ id: p.id });
  return rows.length === 1;
}

export async function deleteStaffPasskeys(ctx: DbCtx, accountId: string): Promise<void> {
  const p = ctx.t.staffPasskeys;
  await ctx.db.delete(p).where(eq(p.accountId, accountId));
}

/** The passkey with this credential id and its account (whatever its status), or null. */
export async function findStaffPasskeyWithAccount(
  ctx: DbCtx,
  passkeyId: string,
): Promise<{ passkey: StaffPasskey; account: StaffAccount } | null> {
  const { staffPasskeys: p, staffAccounts: a } = ctx.t;
  const [row] = await ctx.db
    .select({ passkey: p, account: a })
    .from(p)
    .innerJoin(a, eq(a.id, p.accountId))
    .where(eq(p.id, passkeyId));
  return row ?? null;
}

/** Stores the signature counter of a passkey's latest use. */
export async function recordStaffPasskeyUse(
  ctx: DbCtx,
  id: string,
  counter: number,
  at: Date,
): Promise<void> {
  const p = ctx.t.staffPasskeys;
  await ctx.db.update(p).set({ counter, lastUsedAt: at }).where(eq(p.id, id));
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
  await ctx.db.delete(c).where(lt(c.expiresAt, now));
}
