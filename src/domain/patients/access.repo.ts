import { and, asc, eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere } from '../../db/rows.ts';

/**
 * Who can get into a patient's record, as the patient and staff review it: the addresses that
 * sign in to it (`patient_logins`) and the sessions they opened (`patient_sessions`). Sign-in's
 * own queries of those tables are in sign-in.repo.ts.
 */
export type PatientLogin = typeof import('../../db/schema/sqlite.ts').patientLogins.$inferSelect;

/** The addresses that sign in to the patient, oldest first. */
export function listPatientLogins(ctx: DbCtx, patientId: string): Promise<PatientLogin[]> {
  const l = ctx.t.patientLogins;
  return ctx.db.select().from(l).where(eq(l.patientId, patientId)).orderBy(asc(l.createdAt), asc(l.address));
}

/** Deletes the patient's login of this address: false when the patient has none such. */
export async function deletePatientLogin(ctx: DbCtx, patientId: string, address: string): Promise<boolean> {
  const l = ctx.t.patientLogins;
  return (await deleteWhere(ctx, l, and(eq(l.patientId, patientId), eq(l.address, address)))) > 0;
}

/** Deletes every session of the patient, whatever address opened it; the ids of those deleted. */
export async function deletePatientSessions(ctx: DbCtx, patientId: string): Promise<string[]> {
  const s = ctx.t.patientSessions;
  const rows = await ctx.db.delete(s).where(eq(s.patientId, patientId)).returning({ id: s.id });
  return rows.map((r) => r.id);
}
