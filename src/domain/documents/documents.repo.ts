import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, insertRow, updateRow } from '../../db/rows.ts';
import { rowsOldestFirst } from '../stored-files.ts';
import type { DocumentCategory } from './documents.schema.ts';

/** Every query of the `documents` table (no other file names it). */
export type DocumentRow = typeof import('../../db/schema/sqlite.ts').documents.$inferSelect;
export type NewDocumentRow = typeof import('../../db/schema/sqlite.ts').documents.$inferInsert;
export type DocumentRowChanges = Partial<Omit<NewDocumentRow, 'id' | 'patientId' | 'objectKey'>>;

export function insertDocument(ctx: DbCtx, values: NewDocumentRow): Promise<DocumentRow> {
  return insertRow(ctx, ctx.t.documents, values);
}

/** The document (deleted or not), or null. */
export function findDocumentById(ctx: DbCtx, id: string): Promise<DocumentRow | null> {
  return findRow(ctx, ctx.t.documents, eq(ctx.t.documents.id, id));
}

/**
 * Changes a document (null when it is gone). `undeletedOnly`: only one that is not deleted (null
 * when it is), so a change racing a delete never lands on the deleted row.
 */
export function updateDocument(
  ctx: DbCtx,
  id: string,
  changes: DocumentRowChanges,
  options: { undeletedOnly?: boolean } = {},
): Promise<DocumentRow | null> {
  const d = ctx.t.documents;
  return updateRow(
    ctx,
    d,
    and(eq(d.id, id), options.undeletedOnly ? isNull(d.deletedAt) : undefined),
    changes,
  );
}

/** Documents that `where` picks, newest document date first. */
function listNewestFirst(ctx: DbCtx, where: SQL | undefined): Promise<DocumentRow[]> {
  const d = ctx.t.documents;
  return ctx.db.select().from(d).where(where).orderBy(desc(d.documentDate), desc(d.createdAt), asc(d.id));
}

/** A patient's documents that are not deleted, of `categories` only, within the filters. */
export function listPatientDocuments(
  ctx: DbCtx,
  patientId: string,
  options: { categories: readonly DocumentCategory[]; from?: string | undefined; to?: string | undefined },
): Promise<DocumentRow[]> {
  const d = ctx.t.documents;
  if (options.categories.length === 0) return Promise.resolve([]);
  return listNewestFirst(
    ctx,
    and(
      eq(d.patientId, patientId),
      isNull(d.deletedAt),
      inArray(d.category, [...options.categories]),
      options.from ? gte(d.documentDate, options.from) : undefined,
      options.to ? lte(d.documentDate, options.to) : undefined,
    ),
  );
}

/**
 * What patients see of their own (a guardian: of each dependant's too): documents shared with
 * them and their own uploads, not deleted.
 */
export function listPatientVisibleDocuments(
  ctx: DbCtx,
  patientIds: readonly string[],
): Promise<DocumentRow[]> {
  const d = ctx.t.documents;
  if (patientIds.length === 0) return Promise.resolve([]);
  return listNewestFirst(
    ctx,
    and(
      inArray(d.patientId, [...patientIds]),
      isNull(d.deletedAt),
      or(eq(d.sharedWithPatient, true), eq(d.source, 'patient')),
    ),
  );
}

/** Patients' uploads no one has reviewed yet (not deleted), oldest first, of `categories`. */
export function listDocumentsToReview(
  ctx: DbCtx,
  categories: readonly DocumentCategory[],
  limit: number,
): Promise<DocumentRow[]> {
  const d = ctx.t.documents;
  if (categories.length === 0) return Promise.resolve([]);
  return ctx.db
    .select()
    .from(d)
    .where(
      and(
        eq(d.source, 'patient'),
        isNull(d.reviewedAt),
        isNull(d.deletedAt),
        inArray(d.category, [...categories]),
      ),
    )
    .orderBy(asc(d.createdAt), asc(d.id))
    .limit(limit);
}

/** How many of a patient's own uploads wait for review (not deleted). */
export async function countWaitingUploads(ctx: DbCtx, patientId: string): Promise<number> {
  const d = ctx.t.documents;
  const rows = await ctx.db
    .select({ id: d.id })
    .from(d)
    .where(
      and(eq(d.patientId, patientId), eq(d.source, 'patient'), isNull(d.reviewedAt), isNull(d.deletedAt)),
    );
  return rows.length;
}

/** Deleted documents whose object is still kept, deleted before `before` (for the purge job). */
export function listDocumentsToPurge(ctx: DbCtx, before: Date, limit: number): Promise<DocumentRow[]> {
  const d = ctx.t.documents;
  return ctx.db
    .select()
    .from(d)
    .where(and(isNotNull(d.deletedAt), isNull(d.purgedAt), lt(d.deletedAt, before)))
    .orderBy(asc(d.deletedAt))
    .limit(limit);
}

/**
 * Soft-deletes a patient's upload still waiting for review (null when it is not one any more:
 * staff reviewed or deleted it in the meantime).
 */
export function deleteWaitingUpload(
  ctx: DbCtx,
  id: string,
  changes: Pick<DocumentRowChanges, 'deletedAt' | 'deleteReason' | 'updatedAt'>,
): Promise<DocumentRow | null> {
  const d = ctx.t.documents;
  return updateRow(
    ctx,
    d,
    and(eq(d.id, id), eq(d.source, 'patient'), isNull(d.reviewedAt), isNull(d.deletedAt)),
    changes,
  );
}

/** Marks a document's file purged; null when it already was (another run got there first). */
export function markDocumentPurged(ctx: DbCtx, id: string, at: Date): Promise<DocumentRow | null> {
  const d = ctx.t.documents;
  return updateRow(ctx, d, and(eq(d.id, id), isNull(d.purgedAt)), { purgedAt: at });
}

/** Every document whose object is kept (not purged), by id: for verify, migrate and key rotation. */
export function listStoredDocuments(ctx: DbCtx): Promise<DocumentRow[]> {
  const d = ctx.t.documents;
  return rowsOldestFirst(ctx, d, isNull(d.purgedAt));
}
