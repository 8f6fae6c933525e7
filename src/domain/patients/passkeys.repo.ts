import { and, asc, eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, firstRow, updateWhere } from '../../db/rows.ts';
import type { Patient } from './patients.repo.ts';

/** Patient passkeys (`patient_passkeys`): every query of the table. */
export type PatientPasskeyRow = typeof import('../../db/schema/sqlite.ts').patientPasskeys.$inferSelect;

/** What the patient sees of their passkeys, oldest first. */
export function listPatientPasskeys(
  ctx: DbCtx,
  patientId: string,
): Promise<Pick<PatientPasskeyRow, 'id' | 'name' | 'createdAt' | 'lastUsedAt'>[]> {
  const k = ctx.t.patientPasskeys;
  return ctx.db
    .select({ id: k.id, name: k.name, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt })
    .from(k)
    .where(eq(k.patientId, patientId))
    .orderBy(asc(k.createdAt));
}

export async function insertPatientPasskey(
  ctx: DbCtx,
  row: Omit<PatientPasskeyRow, 'lastUsedAt'>,
): Promise<void> {
  await ctx.db.insert(ctx.t.patientPasskeys).values(row);
}

/** Deletes the patient's passkey with this id: false when the patient has no such passkey. */
export async function deletePatientPasskey(
  ctx: DbCtx,
  patientId: string,
  passkeyId: string,
): Promise<boolean> {
  const k = ctx.t.patientPasskeys;
  return (await deleteWhere(ctx, k, and(eq(k.id, passkeyId), eq(k.patientId, patientId)))) > 0;
}

/** The passkey with this credential id, its patient (any status) and a sign-in address of theirs; or null. */
export function findPasskeyForSignIn(
  ctx: DbCtx,
  passkeyId: string,
): Promise<{ passkey: PatientPasskeyRow; patient: Patient; address: string } | null> {
  const { patientPasskeys: k, patients: p, patientLogins: l } = ctx.t;
  return firstRow(
    ctx.db
      .select({ passkey: k, patient: p, address: l.address })
      .from(k)
      .innerJoin(p, eq(p.id, k.patientId))
      .innerJoin(l, eq(l.patientId, k.patientId))
      .where(eq(k.id, passkeyId))
      .limit(1),
  );
}

/** Stores the signature counter of a passkey's latest use. */
export function recordPatientPasskeyUse(ctx: DbCtx, id: string, counter: number, at: Date): Promise<void> {
  const k = ctx.t.patientPasskeys;
  return updateWhere(ctx, k, eq(k.id, id), { counter, lastUsedAt: at });
}
