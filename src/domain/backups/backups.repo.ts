import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, insertRow, updateRow } from '../../db/rows.ts';

/** Every query of the `backup_runs` table (no other file names it). */
export type BackupRunRow = typeof import('../../db/schema/sqlite.ts').backupRuns.$inferSelect;
export type NewBackupRunRow = typeof import('../../db/schema/sqlite.ts').backupRuns.$inferInsert;
export type BackupRunChanges = Partial<Omit<NewBackupRunRow, 'id'>>;
export type BackupRunStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed';

/** The runs not yet over. */
export const ACTIVE_STATUSES: BackupRunStatus[] = ['queued', 'running', 'retrying'];

export function insertBackupRun(ctx: DbCtx, values: NewBackupRunRow): Promise<BackupRunRow> {
  return insertRow(ctx, ctx.t.backupRuns, values);
}

export function updateBackupRun(
  ctx: DbCtx,
  id: string,
  changes: BackupRunChanges,
): Promise<BackupRunRow | null> {
  return updateRow(ctx, ctx.t.backupRuns, eq(ctx.t.backupRuns.id, id), changes);
}

export function findBackupRunById(ctx: DbCtx, id: string): Promise<BackupRunRow | null> {
  return findRow(ctx, ctx.t.backupRuns, eq(ctx.t.backupRuns.id, id));
}

export function findBackupRunOfJob(ctx: DbCtx, jobId: number): Promise<BackupRunRow | null> {
  return findRow(ctx, ctx.t.backupRuns, eq(ctx.t.backupRuns.jobId, jobId));
}

/** The newest runs, newest first. */
export function listRecentBackupRuns(ctx: DbCtx, limit = 10): Promise<BackupRunRow[]> {
  const r = ctx.t.backupRuns;
  return ctx.db.select().from(r).orderBy(desc(r.createdAt), desc(r.id)).limit(limit);
}

/** The newest run that is queued, running or between attempts, or null. */
export async function findActiveBackupRun(ctx: DbCtx): Promise<BackupRunRow | null> {
  const r = ctx.t.backupRuns;
  const [row] = await ctx.db
    .select()
    .from(r)
    .where(inArray(r.status, ACTIVE_STATUSES))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(1);
  return row ?? null;
}

/** The run that last succeeded (the newest finish), or null. */
export async function findLastSuccessfulBackup(ctx: DbCtx): Promise<BackupRunRow | null> {
  const r = ctx.t.backupRuns;
  const [row] = await ctx.db
    .select()
    .from(r)
    .where(and(eq(r.status, 'succeeded'), isNotNull(r.finishedAt)))
    .orderBy(desc(r.finishedAt), desc(r.id))
    .limit(1);
  return row ?? null;
}
