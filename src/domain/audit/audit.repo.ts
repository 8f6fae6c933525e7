import { and, asc, count, desc, eq, gt, gte, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { type DbCtx, execute } from '../../db/client.ts';
import { param, preparedQuery } from '../../db/prepared.ts';
import { countWhere, firstRow } from '../../db/rows.ts';

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
 * Inserts one unsealed row (seq, prev_hash and hash null; the database gives its id). The
 * database refuses deletes, and updates but sealing (`sealAuditRows`).
 */
export async function insertAuditRow(ctx: DbCtx, row: NewAuditRow): Promise<void> {
  await insertPrepared(ctx, row);
}

type NewAuditRow = Omit<AuditRow, 'id' | 'seq' | 'prevHash' | 'hash'>;
// Every column by name (the type makes a new column a compile error until it is listed here).
const rowPlaceholders: Record<keyof NewAuditRow, unknown> = {
  at: param('at'),
  actorType: param('actorType'),
  actorId: param('actorId'),
  action: param('action'),
  entity: param('entity'),
  entityId: param('entityId'),
  patientId: param('patientId'),
  ip: param('ip'),
  userAgent: param('userAgent'),
  requestId: param('requestId'),
  details: param('details'),
  mac: param('mac'),
};

const insertPrepared = preparedQuery<NewAuditRow, unknown>((ctx) =>
  ctx.db.insert(ctx.t.auditLog).values(rowPlaceholders as NewAuditRow),
);

/**
 * Inserts one row sealed whole: its chain position, link and hash with it (SQLite's writer, which
 * knows the chain's head for as long as its transaction lasts; see `appendSealedRow`).
 */
export async function insertSealedAuditRow(
  ctx: DbCtx,
  row: NewAuditRow & Omit<AuditSeal, 'id'>,
): Promise<void> {
  await insertSealedPrepared(ctx, row);
}

const insertSealedPrepared = preparedQuery<NewAuditRow & Omit<AuditSeal, 'id'>, unknown>((ctx) =>
  ctx.db.insert(ctx.t.auditLog).values({
    ...rowPlaceholders,
    seq: param('seq'),
    prevHash: param('prevHash'),
    hash: param('hash'),
  } as never),
);

/** The newest sealed row (the chain's head, highest seq), or null when none is sealed. */
export function findChainHead(ctx: DbCtx): Promise<AuditRow | null> {
  const t = ctx.t.auditLog;
  return firstRow(ctx.db.select().from(t).where(isNotNull(t.seq)).orderBy(desc(t.seq)).limit(1));
}

/**
 * PostgreSQL: takes the audit lock `key` for the rest of the transaction; with `lazyCommit`, in
 * the same statement, lets the transaction's commit return before its WAL is flushed
 * (`synchronous_commit` off for this transaction only), so it adds no fsync for concurrent
 * commits to queue behind. SQLite: nothing (its one writer already excludes every other).
 */
export async function lockAuditLog(ctx: DbCtx, key: number, lazyCommit: boolean): Promise<void> {
  if (ctx.dialect !== 'postgres') return;
  await execute(
    ctx,
    lazyCommit
      ? sql`select set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(${key})`
      : sql`select pg_advisory_xact_lock(${key})`,
  );
}

/** The chain head's position and hash (what the next seal links to), or null when none is sealed. */
export async function findChainLink(ctx: DbCtx): Promise<{ seq: number | null; hash: string | null } | null> {
  return (await chainLink(ctx, {}))[0] ?? null;
}

/**
 * The same as `findChainLink` on SQLite, where nulls sort first: the highest seq comes first
 * without a filter, which lets SQLite read the one index entry (4× faster; it runs with every
 * audited write there).
 */
export async function findChainLinkOnSqlite(
  ctx: DbCtx,
): Promise<{ seq: number | null; hash: string | null } | null> {
  return (await sqliteChainLink(ctx, {}))[0] ?? null;
}

const sqliteChainLink = preparedQuery((ctx) => {
  const t = ctx.t.auditLog;
  return ctx.db.select({ seq: t.seq, hash: t.hash }).from(t).orderBy(desc(t.seq)).limit(1);
});

// The sealing statements run with every audited write on SQLite: prepared.
const chainLink = preparedQuery((ctx) => {
  const t = ctx.t.auditLog;
  return ctx.db
    .select({ seq: t.seq, hash: t.hash })
    .from(t)
    .where(isNotNull(t.seq))
    .orderBy(desc(t.seq))
    .limit(1);
});

/** Up to `limit` unsealed rows, oldest id first: the id and MAC the seal covers. */
export function listUnsealedAuditRows(
  ctx: DbCtx,
  limit: number,
): Promise<{ id: number; mac: string | null; at: Date }[]> {
  return unsealedRows(ctx, { limit });
}

const unsealedRows = preparedQuery((ctx) => {
  const t = ctx.t.auditLog;
  return ctx.db
    .select({ id: t.id, mac: t.mac, at: t.at })
    .from(t)
    .where(isNull(t.seq))
    .orderBy(asc(t.id))
    .limit(param('limit') as unknown as number);
});

/** The oldest unsealed row, or null. */
export function findOldestUnsealedAuditRow(ctx: DbCtx): Promise<{ id: number; at: Date } | null> {
  return listUnsealedAuditRows(ctx, 1).then((rows) => rows[0] ?? null);
}

/** A row's seal: its chain position, link and hash. */
export interface AuditSeal {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * Seals rows (in `seals` order, the chain's). SQLite: one update each, in-process. PostgreSQL:
 * one statement for the batch (its trigger checks each link once the statement is done).
 */
export async function sealAuditRows(ctx: DbCtx, seals: AuditSeal[]): Promise<void> {
  const t = ctx.t.auditLog;
  if (ctx.dialect === 'sqlite') {
    for (const s of seals) await sealRow(ctx, s);
    return;
  }
  await execute(
    ctx,
    sql`update ${t} as a set seq = v.seq, prev_hash = v."prevHash", hash = v.hash
      from jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) as v(id bigint, seq bigint, "prevHash" text, hash text)
      where a.id = v.id`,
  );
}

const sealRow = preparedQuery<AuditSeal, unknown>((ctx) => {
  const t = ctx.t.auditLog;
  return ctx.db
    .update(t)
    .set({ seq: param('seq'), prevHash: param('prevHash'), hash: param('hash') } as never)
    .where(eq(t.id, param('id')));
});

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

/** Up to `limit` sealed rows after position `afterSeq`, in chain order (a page, for verifying it). */
export function listAuditRowsAfter(ctx: DbCtx, afterSeq: number, limit: number): Promise<AuditRow[]> {
  const t = ctx.t.auditLog;
  return ctx.db.select().from(t).where(gt(t.seq, afterSeq)).orderBy(asc(t.seq)).limit(limit);
}

/** How many rows are not sealed yet. */
export function countUnsealedAuditRows(ctx: DbCtx): Promise<number> {
  return countWhere(ctx, ctx.t.auditLog, isNull(ctx.t.auditLog.seq));
}
