import { and, eq, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import { deleteWhere, findRow, firstRow, updateWhere, upsertRow } from '../../db/rows.ts';
import type { Patient } from './patients.repo.ts';

/**
 * The patient app's sign-in: addresses that sign in to a record (`patient_logins`), the live
 * code and counters per address (`patient_codes`), wrong codes per address and requester
 * (`patient_code_failures`) and sessions (`patient_sessions`). Queries only.
 */
export type CodeRow = typeof import('../../db/schema/sqlite.ts').patientCodes.$inferSelect;
export type CodeFailureRow = typeof import('../../db/schema/sqlite.ts').patientCodeFailures.$inferSelect;
type PatientLogin = typeof import('../../db/schema/sqlite.ts').patientLogins.$inferSelect;
type SessionRow = typeof import('../../db/schema/sqlite.ts').patientSessions.$inferSelect;

// ---------------------------------------------------------------- logins

/** The login of this address (whatever its patient's status), or null. */
export function findLogin(ctx: DbCtx, address: string): Promise<PatientLogin | null> {
  const l = ctx.t.patientLogins;
  return findRow(ctx, l, eq(l.address, address));
}

/** The active patient this address signs in to, or null. */
export async function findActivePatientByLogin(ctx: DbCtx, address: string): Promise<Patient | null> {
  const { patientLogins: l, patients: p } = ctx.t;
  const row = await firstRow(
    ctx.db
      .select({ patient: p })
      .from(l)
      .innerJoin(p, eq(p.id, l.patientId))
      .where(and(eq(l.address, address), eq(p.status, 'active'))),
  );
  return row?.patient ?? null;
}

export async function insertLogin(ctx: DbCtx, address: string, patientId: string, now: Date): Promise<void> {
  await ctx.db.insert(ctx.t.patientLogins).values({ address, patientId, createdAt: now });
}

// ---------------------------------------------------------------- codes and counters

export function findCodeRow(ctx: DbCtx, address: string): Promise<CodeRow | null> {
  const c = ctx.t.patientCodes;
  return findRow(ctx, c, eq(c.address, address));
}

/** Adds the address's row unless it is there (two instances may race to make it). */
export async function insertCodeRowIfMissing(ctx: DbCtx, row: CodeRow): Promise<void> {
  await ctx.db.insert(ctx.t.patientCodes).values(row).onConflictDoNothing();
}

/** Holds the address's row until the transaction ends, so a check and its count are one step. */
export function lockCodeRow(ctx: DbCtx, address: string): Promise<boolean> {
  const c = ctx.t.patientCodes;
  return lockRow(ctx, c, c.address, address);
}

export function updateCodeRow(
  ctx: DbCtx,
  address: string,
  changes: Partial<Omit<CodeRow, 'address'>>,
): Promise<void> {
  const c = ctx.t.patientCodes;
  return updateWhere(ctx, c, eq(c.address, address), changes);
}

// ---------------------------------------------------------------- wrong codes per requester

export function findCodeFailures(
  ctx: DbCtx,
  address: string,
  requesterHash: string,
): Promise<CodeFailureRow | null> {
  const f = ctx.t.patientCodeFailures;
  return findRow(ctx, f, and(eq(f.address, address), eq(f.requesterHash, requesterHash)));
}

export async function saveCodeFailures(ctx: DbCtx, row: CodeFailureRow): Promise<void> {
  const f = ctx.t.patientCodeFailures;
  await upsertRow(ctx, f, row, [f.address, f.requesterHash], {
    windowStart: row.windowStart,
    failures: row.failures,
  });
}

/** Deletes the counts whose window began before `before`; how many. */
export function deleteCodeFailuresBefore(ctx: DbCtx, before: Date): Promise<number> {
  const f = ctx.t.patientCodeFailures;
  return deleteWhere(ctx, f, lt(f.windowStart, before));
}

// ---------------------------------------------------------------- sessions

export async function insertPatientSession(ctx: DbCtx, row: SessionRow): Promise<void> {
  await ctx.db.insert(ctx.t.patientSessions).values(row);
}

export function findPatientSession(ctx: DbCtx, id: string): Promise<SessionRow | null> {
  const s = ctx.t.patientSessions;
  return findRow(ctx, s, eq(s.id, id));
}

/** Records a use of the session at `seenAt` and its new end. */
export function slidePatientSession(ctx: DbCtx, id: string, seenAt: Date, expiresAt: Date): Promise<void> {
  const s = ctx.t.patientSessions;
  return updateWhere(ctx, s, eq(s.id, id), { lastSeenAt: seenAt, expiresAt });
}

/** The session now belongs to this patient (after registration). */
export function setSessionPatient(ctx: DbCtx, id: string, patientId: string): Promise<void> {
  const s = ctx.t.patientSessions;
  return updateWhere(ctx, s, eq(s.id, id), { patientId });
}

export async function deletePatientSession(ctx: DbCtx, id: string): Promise<void> {
  const s = ctx.t.patientSessions;
  await deleteWhere(ctx, s, eq(s.id, id));
}

/** Deletes every session of the address; the ids of those deleted. */
export async function deleteAddressSessions(ctx: DbCtx, address: string): Promise<string[]> {
  const s = ctx.t.patientSessions;
  const rows = await ctx.db.delete(s).where(eq(s.address, address)).returning({ id: s.id });
  return rows.map((r) => r.id);
}

/** Deletes sessions that ended before `now`; how many. */
export function deleteEndedPatientSessions(ctx: DbCtx, now: Date): Promise<number> {
  const s = ctx.t.patientSessions;
  return deleteWhere(ctx, s, lt(s.expiresAt, now));
}

/**
 * Up to two active patients whose record's email or phone is the address's (email lower-case,
 * phone E.164): enough to tell "exactly one" from "none" and "several".
 */
export function listActivePatientsWithContact(
  ctx: DbCtx,
  contact: { kind: 'email' | 'phone'; value: string },
): Promise<Patient[]> {
  const p = ctx.t.patients;
  const column = contact.kind === 'email' ? p.email : p.phone;
  return ctx.db
    .select()
    .from(p)
    .where(and(eq(column, contact.value), eq(p.status, 'active')))
    .limit(2);
}
