import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, insertRow, updateRow } from '../../db/rows.ts';
import type { Patient, PatientChanges } from './patients.repo.ts';

/**
 * A record's history and alerts (`patient_changes`, `patient_alerts`), and the version-checked
 * change of a record. Queries only.
 */
export type PatientChange = typeof import('../../db/schema/sqlite.ts').patientChanges.$inferSelect;
export type PatientAlert = typeof import('../../db/schema/sqlite.ts').patientAlerts.$inferSelect;

/**
 * Sets `changes` on the record only if it is still at `version`, and moves it to `version + 1`,
 * in one statement (two tabs saving at once: one wins, the other matches nothing). The updated
 * row, or null when the record is gone or at another version.
 */
export function updatePatientAtVersion(
  ctx: DbCtx,
  id: string,
  version: number,
  changes: PatientChanges,
): Promise<Patient | null> {
  const p = ctx.t.patients;
  return updateRow(ctx, p, and(eq(p.id, id), eq(p.version, version)), {
    ...changes,
    version: sql`${p.version} + 1`,
  });
}

export async function insertPatientChanges(ctx: DbCtx, rows: PatientChange[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.insert(ctx.t.patientChanges).values(rows);
}

/** The record's changes, newest first (then by field, for a stable order), at most `limit`. */
export function listPatientChanges(ctx: DbCtx, patientId: string, limit: number): Promise<PatientChange[]> {
  const c = ctx.t.patientChanges;
  return ctx.db
    .select()
    .from(c)
    .where(eq(c.patientId, patientId))
    .orderBy(desc(c.changedAt), desc(c.version), asc(c.field))
    .limit(limit);
}

export function insertPatientAlert(ctx: DbCtx, row: PatientAlert): Promise<PatientAlert> {
  return insertRow(ctx, ctx.t.patientAlerts, row);
}

/** The patient's alerts: active ones (or all with `all`), oldest first. */
export function listPatientAlerts(ctx: DbCtx, patientId: string, all = false): Promise<PatientAlert[]> {
  const a = ctx.t.patientAlerts;
  return ctx.db
    .select()
    .from(a)
    .where(and(eq(a.patientId, patientId), all ? undefined : isNull(a.resolvedAt)))
    .orderBy(asc(a.createdAt), asc(a.id));
}

export function findPatientAlert(ctx: DbCtx, patientId: string, id: string): Promise<PatientAlert | null> {
  const a = ctx.t.patientAlerts;
  return findRow(ctx, a, and(eq(a.id, id), eq(a.patientId, patientId)));
}

/** Marks an active alert resolved; null when it was resolved already (or is not there). */
export function resolvePatientAlert(
  ctx: DbCtx,
  id: string,
  by: string,
  at: Date,
): Promise<PatientAlert | null> {
  const a = ctx.t.patientAlerts;
  return updateRow(ctx, a, and(eq(a.id, id), isNull(a.resolvedAt)), { resolvedAt: at, resolvedBy: by });
}
