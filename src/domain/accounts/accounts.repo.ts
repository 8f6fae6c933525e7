import { and, asc, eq, gt, inArray, isNotNull, isNull, like, lt, notLike, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import { deleteWhere, findRow, firstRow, hasRow, insertRow, updateRow, updateWhere } from '../../db/rows.ts';

/**
 * Staff accounts, their one-time links (`staff_tokens`) and recovery codes: every query of those
 * tables. Sessions are in sessions.repo.ts, passkeys and WebAuthn challenges in passkeys.repo.ts.
 */
export type StaffAccount = typeof import('../../db/schema/sqlite.ts').staffAccounts.$inferSelect;
type NewStaffAccount = typeof import('../../db/schema/sqlite.ts').staffAccounts.$inferInsert;
type StaffToken = typeof import('../../db/schema/sqlite.ts').staffTokens.$inferSelect;
export type LinkPurpose = 'setup' | 'set-password' | 'reset-password';

/** What other areas see of a staff member: never the password hash or second-factor secrets. */
export type StaffMember = Pick<StaffAccount, 'id' | 'email' | 'name' | 'role' | 'status' | 'bookingAlerts'>;

// ---------------------------------------------------------------- accounts

export function findStaffAccountById(ctx: DbCtx, id: string): Promise<StaffAccount | null> {
  const a = ctx.t.staffAccounts;
  return findRow(ctx, a, eq(a.id, id));
}

/** The account with this (lower-cased) email, whatever its status. */
export function findStaffAccountByEmail(ctx: DbCtx, email: string): Promise<StaffAccount | null> {
  const a = ctx.t.staffAccounts;
  return findRow(ctx, a, eq(a.email, email));
}

export function findActiveStaffAccountByEmail(ctx: DbCtx, email: string): Promise<StaffAccount | null> {
  const a = ctx.t.staffAccounts;
  return findRow(ctx, a, and(eq(a.email, email), eq(a.status, 'active')));
}

/** Every account, by name. */
export function listStaffAccounts(ctx: DbCtx): Promise<StaffAccount[]> {
  const a = ctx.t.staffAccounts;
  return ctx.db.select().from(a).orderBy(a.name);
}

/** Whether an active account has the admin role. */
export function hasActiveAdmin(ctx: DbCtx): Promise<boolean> {
  const a = ctx.t.staffAccounts;
  return hasRow(ctx, a, and(eq(a.role, 'admin'), eq(a.status, 'active')));
}

export function insertStaffAccount(ctx: DbCtx, values: NewStaffAccount): Promise<StaffAccount> {
  return insertRow(ctx, ctx.t.staffAccounts, values);
}

/** Changes the account's columns; the updated row, or null when there is no such account. */
export function updateStaffAccount(
  ctx: DbCtx,
  id: string,
  changes: Partial<Omit<NewStaffAccount, 'id'>>,
): Promise<StaffAccount | null> {
  const a = ctx.t.staffAccounts;
  return updateRow(ctx, a, eq(a.id, id), changes);
}

/**
 * Locks the account's row for the rest of the transaction (second-factor checks count their
 * failures on it: concurrent wrong codes, on any instance, are counted one after the other).
 */
export async function lockStaffAccount(ctx: DbCtx, id: string): Promise<void> {
  const a = ctx.t.staffAccounts;
  await lockRow(ctx, a, a.id, id);
}

/**
 * Records `step` as the last TOTP step used, only if it is later than the stored one: true when
 * it was (two requests spending one code cannot both succeed, even at READ COMMITTED).
 */
export async function spendTotpStep(ctx: DbCtx, accountId: string, step: number): Promise<boolean> {
  const a = ctx.t.staffAccounts;
  const later = or(isNull(a.totpLastStep), lt(a.totpLastStep, step));
  return (await updateRow(ctx, a, and(eq(a.id, accountId), later), { totpLastStep: step })) !== null;
}

/** Accounts whose TOTP secret an older version kept in clear (not yet `sealed1:`), to seal at start. */
export function listClearTotpSecrets(ctx: DbCtx): Promise<Pick<StaffAccount, 'id' | 'totpSecret'>[]> {
  const a = ctx.t.staffAccounts;
  return ctx.db
    .select({ id: a.id, totpSecret: a.totpSecret })
    .from(a)
    .where(and(isNotNull(a.totpSecret), notLike(a.totpSecret, 'sealed1:%')));
}

/** Every TOTP secret kept sealed (keys rotate seals them again under the new key). */
export function listSealedTotpSecrets(ctx: DbCtx): Promise<{ id: string; totpSecret: string }[]> {
  const a = ctx.t.staffAccounts;
  return ctx.db
    .select({ id: a.id, totpSecret: a.totpSecret })
    .from(a)
    .where(and(isNotNull(a.totpSecret), like(a.totpSecret, 'sealed1:%'))) as Promise<
    { id: string; totpSecret: string }[]
  >;
}

/** Replaces the TOTP secret only if it is still `old` (true when it was). */
export async function replaceTotpSecret(
  ctx: DbCtx,
  id: string,
  old: string,
  secret: string,
): Promise<boolean> {
  const a = ctx.t.staffAccounts;
  return (await updateRow(ctx, a, and(eq(a.id, id), eq(a.totpSecret, old)), { totpSecret: secret })) !== null;
}

// ---------------------------------------------------------------- for other areas

const member = (ctx: DbCtx) => {
  const a = ctx.t.staffAccounts;
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    status: a.status,
    bookingAlerts: a.bookingAlerts,
  };
};

/** A staff member (any status), or null: e.g. who a staff message goes to, and whether they want it. */
export function findStaffMemberById(ctx: DbCtx, id: string): Promise<StaffMember | null> {
  const a = ctx.t.staffAccounts;
  return firstRow(ctx.db.select(member(ctx)).from(a).where(eq(a.id, id)));
}

/** The staff members with these ids (any status), by name; unknown ids are left out. */
export async function listStaffByIds(ctx: DbCtx, ids: readonly string[]): Promise<StaffMember[]> {
  if (ids.length === 0) return [];
  const a = ctx.t.staffAccounts;
  return ctx.db
    .select(member(ctx))
    .from(a)
    .where(inArray(a.id, [...new Set(ids)]))
    .orderBy(asc(a.name));
}

/** Which of `ids` are active staff accounts. */
export async function listActiveStaffIds(ctx: DbCtx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const a = ctx.t.staffAccounts;
  const rows = await ctx.db
    .select({ id: a.id })
    .from(a)
    .where(and(inArray(a.id, [...new Set(ids)]), eq(a.status, 'active')));
  return new Set(rows.map((r) => r.id));
}

/** The ids of active accounts with the practitioner role (in no particular order). */
export async function listActivePractitionerIds(ctx: DbCtx): Promise<string[]> {
  const a = ctx.t.staffAccounts;
  const rows = await ctx.db
    .select({ id: a.id })
    .from(a)
    .where(and(eq(a.role, 'practitioner'), eq(a.status, 'active')));
  return rows.map((r) => r.id);
}

/** A member's own choice of booking alerts (the caller audits it in the same transaction). */
export function setStaffBookingAlerts(
  ctx: DbCtx,
  accountId: string,
  bookingAlerts: StaffAccount['bookingAlerts'],
  now: Date,
): Promise<void> {
  const a = ctx.t.staffAccounts;
  return updateWhere(ctx, a, eq(a.id, accountId), { bookingAlerts, updatedAt: now });
}

// ---------------------------------------------------------------- one-time links

export async function insertStaffToken(
  ctx: DbCtx,
  values: { id: string; purpose: LinkPurpose; accountId: string | null; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await ctx.db.insert(ctx.t.staffTokens).values(values);
}

/** The link row with this id (used, expired or not), or null. */
export function findStaffToken(ctx: DbCtx, id: string): Promise<StaffToken | null> {
  const k = ctx.t.staffTokens;
  return findRow(ctx, k, eq(k.id, id));
}

/** The link with this id and purpose, unused and unexpired at `now`. */
const liveToken = (ctx: DbCtx, id: string, purpose: LinkPurpose, now: Date) => {
  const k = ctx.t.staffTokens;
  return and(eq(k.id, id), eq(k.purpose, purpose), isNull(k.usedAt), gt(k.expiresAt, now));
};

/** Whether an unused, unexpired link with this id and purpose exists. */
export function isStaffTokenLive(ctx: DbCtx, id: string, purpose: LinkPurpose, now: Date): Promise<boolean> {
  return hasRow(ctx, ctx.t.staffTokens, liveToken(ctx, id, purpose, now));
}

/** Marks the link used if it is live; the row, or null when it is unknown, used or expired. */
export function useStaffToken(
  ctx: DbCtx,
  id: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<StaffToken | null> {
  return updateRow(ctx, ctx.t.staffTokens, liveToken(ctx, id, purpose, now), { usedAt: now });
}

// ---------------------------------------------------------------- recovery codes

export async function deleteRecoveryCodes(ctx: DbCtx, accountId: string): Promise<void> {
  const r = ctx.t.staffRecoveryCodes;
  await deleteWhere(ctx, r, eq(r.accountId, accountId));
}

export async function insertRecoveryCodes(
  ctx: DbCtx,
  accountId: string,
  codeHashes: string[],
  now: Date,
): Promise<void> {
  await ctx.db
    .insert(ctx.t.staffRecoveryCodes)
    .values(codeHashes.map((codeHash) => ({ codeHash, accountId, createdAt: now })));
}

/** Marks the account's unused code with this hash used: true when there was one. */
export async function useRecoveryCode(
  ctx: DbCtx,
  accountId: string,
  codeHash: string,
  now: Date,
): Promise<boolean> {
  const r = ctx.t.staffRecoveryCodes;
  const unused = and(eq(r.codeHash, codeHash), eq(r.accountId, accountId), isNull(r.usedAt));
  return (await updateRow(ctx, r, unused, { usedAt: now })) !== null;
}
