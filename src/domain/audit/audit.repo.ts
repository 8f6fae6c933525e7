import { and, asc, desc, eq, gt, gte, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { firstRow } from '../../db/rows.ts';

/**
 * The audit log's queries (the `audit_log` table), for this area's use cases only. No rules
 * here: the chain (hashes, the append lock) is `append-audit-row.ts`'s business.
 */
export type AuditRow = typeof import('../../db/schema/sqlite.ts').auditLog.$inferSelect;
export type NewAuditRow = Omit<AuditRow, 'id'>;

/** Which rows `listAuditRows` answers; every field narrows, none given means all. */
export interface AuditFilter {
  patientId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  afterId?: number;
  limit?: number;
}

/** The hash of the newest row, or null when the log is empty. */
export async function findLastAuditHash(ctx: DbCtx): Promise<string | null> {
  const t = ctx.t.auditLog;
  const last = await firstRow(ctx.db.select({ hash: t.hash }).from(t).orderBy(desc(t.id)).limit(1));
  return last?.hash ?? null;
}

/** Appends one row (the database refuses updates and deletes of the table). */
export async function insertAuditRow(ctx: DbCtx, row: NewAuditRow): Promise<void> {
  await ctx.db.insert(ctx.t.auditLog).values(row);
}

/** Rows matching `filter`, newest first, at most `filter.limit` (100 by default). */
export function listAuditRows(ctx: DbCtx, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const t = ctx.t.auditLog;
  return ctx.db
    .select()
    .from(t)
    .where(
      and(
        filter.patientId ? eq(t.patientId, filter.patientId) : undefined,
        filter.actorId ? eq(t.actorId, filter.actorId) : undefined,
        filter.from ? gte(t.at, filter.from) : undefined,
        filter.to ? lt(t.at, filter.to) : undefined,
        filter.afterId ? gt(t.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(desc(t.id))
    .limit(filter.limit ?? 100);
}

/** Up to `limit` rows after id `afterId`, oldest first (a page of the chain, for verifying it). */
export function listAuditRowsAfter(ctx: DbCtx, afterId: number, limit: number): Promise<AuditRow[]> {
  const t = ctx.t.auditLog;
  return ctx.db.select().from(t).where(gt(t.id, afterId)).orderBy(asc(t.id)).limit(limit);
}
