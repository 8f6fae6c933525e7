import { and, desc, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, insertRow, updateRow } from '../../db/rows.ts';

/** Every query of the `imports` table (no other file names it). */
export type ImportRow = typeof import('../../db/schema/sqlite.ts').imports.$inferSelect;
export type NewImportRow = typeof import('../../db/schema/sqlite.ts').imports.$inferInsert;
export type ImportChanges = Partial<Omit<NewImportRow, 'id'>>;

export function insertImport(ctx: DbCtx, values: NewImportRow): Promise<ImportRow> {
  return insertRow(ctx, ctx.t.imports, values);
}

export function findImportById(ctx: DbCtx, id: string): Promise<ImportRow | null> {
  return findRow(ctx, ctx.t.imports, eq(ctx.t.imports.id, id));
}

export function updateImport(ctx: DbCtx, id: string, changes: ImportChanges): Promise<ImportRow | null> {
  return updateRow(ctx, ctx.t.imports, eq(ctx.t.imports.id, id), changes);
}

/** Changes the import only while its status is one of `from` (answers null otherwise). */
export function updateImportIn(
  ctx: DbCtx,
  id: string,
  from: string[],
  changes: ImportChanges,
): Promise<ImportRow | null> {
  const i = ctx.t.imports;
  return updateRow(ctx, i, and(eq(i.id, id), inArray(i.status, from)), changes);
}

/** The latest imports, newest first. */
export function listRecentImports(ctx: DbCtx, limit = 10): Promise<ImportRow[]> {
  const i = ctx.t.imports;
  return ctx.db.select().from(i).orderBy(desc(i.createdAt), desc(i.id)).limit(limit);
}

/** Imports whose rejected-rows file is kept, finished before `before`. */
export function listImportsWithOldFiles(ctx: DbCtx, before: Date, limit = 100): Promise<ImportRow[]> {
  const i = ctx.t.imports;
  return ctx.db
    .select()
    .from(i)
    .where(and(isNotNull(i.rejectedObjectKey), lt(i.finishedAt, before)))
    .limit(limit);
}

/** Imports uploaded but never started, older than `before` (their file is removed). */
export function listAbandonedImports(ctx: DbCtx, before: Date, limit = 100): Promise<ImportRow[]> {
  const i = ctx.t.imports;
  return ctx.db
    .select()
    .from(i)
    .where(and(eq(i.status, 'uploaded'), isNotNull(i.objectKey), lt(i.createdAt, before)))
    .limit(limit);
}
