import { and, desc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, insertRow, updateRow } from '../../db/rows.ts';

/** Every query of the `patient_exports` table (no other file names it). */
export type ExportRow = typeof import('../../db/schema/sqlite.ts').patientExports.$inferSelect;
export type NewExportRow = typeof import('../../db/schema/sqlite.ts').patientExports.$inferInsert;
export type ExportChanges = Partial<Omit<NewExportRow, 'id' | 'patientId'>>;

export function insertExport(ctx: DbCtx, values: NewExportRow): Promise<ExportRow> {
  return insertRow(ctx, ctx.t.patientExports, values);
}

export function findExportById(ctx: DbCtx, id: string): Promise<ExportRow | null> {
  return findRow(ctx, ctx.t.patientExports, eq(ctx.t.patientExports.id, id));
}

export function updateExport(ctx: DbCtx, id: string, changes: ExportChanges): Promise<ExportRow | null> {
  return updateRow(ctx, ctx.t.patientExports, eq(ctx.t.patientExports.id, id), changes);
}

/** The exports one person asked for (of one patient when `patientId` is given), newest first. */
function listRequested(
  ctx: DbCtx,
  requester: { type: string; id: string },
  limit: number,
  patientId?: string,
): Promise<ExportRow[]> {
  const e = ctx.t.patientExports;
  const ofPatient = patientId === undefined ? [] : [eq(e.patientId, patientId)];
  return ctx.db
    .select()
    .from(e)
    .where(and(...ofPatient, eq(e.requestedByType, requester.type), eq(e.requestedById, requester.id)))
    .orderBy(desc(e.createdAt), desc(e.id))
    .limit(limit);
}

/** The exports of a patient that one person asked for, newest first. */
export const listExportsOf = (
  ctx: DbCtx,
  patientId: string,
  requester: { type: string; id: string },
  limit = 5,
): Promise<ExportRow[]> => listRequested(ctx, requester, limit, patientId);

/** The exports one person asked for (of anyone), newest first. */
export const listExportsRequestedBy = (
  ctx: DbCtx,
  requester: { type: string; id: string },
  limit = 20,
): Promise<ExportRow[]> => listRequested(ctx, requester, limit);

/** Ready exports whose link ended before `now` and whose file is still kept. */
export function listExpiredExports(ctx: DbCtx, now: Date, limit = 100): Promise<ExportRow[]> {
  const e = ctx.t.patientExports;
  return ctx.db
    .select()
    .from(e)
    .where(and(isNotNull(e.objectKey), isNull(e.purgedAt), lt(e.expiresAt, now)))
    .limit(limit);
}
