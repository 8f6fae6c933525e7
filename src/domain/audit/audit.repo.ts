import { and, asc, desc, eq, gt, gte, lt } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { firstRow } from '../../db/rows.ts';

/**
 * The audit log's queries (the `audit_log` table), for this area's use cases only. No rules
 * here: the chain (hashes, the append lock) is `append-audit-row.ts`'s business.
 */
export type AuditRow = typeof import('../../db/schema/sqlite.ts').auditLog.$inferSelect;

/** Which rows `listAuditRows` answers; every field narrows, none given means all. */
export interface AuditFilter {
  patientId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  afterId?: number;
  limit?: number;
}

/** The newest row, or null when the log is empty. */
export function findLastAuditRow(ctx: DbCtx): Promise<AuditRow | null> {
  const t = ctx.t.auditLog;
  return firstRow(ctx.db.select().from(t).orderBy(desc(t.id)).limit(1));
}

/**
 * Appends one row (the database refuses updates and deletes of the table, and any row that does
 * not take the next id and link to the last row's hash). SQLite is given the id; PostgreSQL's
 * trigger sets it, since its identity column may not be given one.
 */
export async function insertAuditRow(ctx: DbCtx, row: AuditRow): Promise<void> {
  const { id, ...rest } = row;
  await ctx.db.insert(ctx.t.auditLog).values(ctx.dialect === 'sqlite' ? row : rest);
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
