import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type DbCtx, execute, queryRows } from './client.ts';

/**
 * Locks for the rest of the caller's transaction, the same call on both dialects, so services
 * hold no dialect branches. SQLite has one writer: a transaction there already excludes every
 * other, so these only read. PostgreSQL takes real locks that hold across processes.
 */

/**
 * Locks the row of `table` whose `column` is `value` (`select … for update` on PostgreSQL).
 * Answers whether the row exists.
 */
export async function lockRow(
  ctx: DbCtx,
  table: SQLiteTable,
  column: SQLiteColumn,
  value: string,
): Promise<boolean> {
  const rows = await queryRows(
    ctx,
    sql`select ${column} from ${table} where ${column} = ${value}${ctx.dialect === 'postgres' ? sql` for update` : sql``}`,
  );
  return rows.length > 0;
}

/** A lock on a number, held until the transaction ends (`pg_advisory_xact_lock` on PostgreSQL). */
export async function advisoryLock(ctx: DbCtx, key: number): Promise<void> {
  if (ctx.dialect === 'postgres') await execute(ctx, sql`select pg_advisory_xact_lock(${key})`);
}

/** `query` with `for update skip locked` on PostgreSQL (rows another transaction holds are passed over). */
export const skipLocked = (ctx: Pick<DbCtx, 'dialect'>, query: SQL): SQL =>
  ctx.dialect === 'postgres' ? sql`${query} for update skip locked` : query;
