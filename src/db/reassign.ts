import { count, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbCtx } from './client.ts';
import { countWhere } from './rows.ts';

/**
 * The two statements a patient merge makes of most tables, once: how many rows have `column`
 * equal to an id, and setting it to another id on all of them (answering how many). Each area's
 * merge step (`*.repo.ts`) names its own table and column; the same on both dialects.
 */

/** How many rows of `table` have `column` = `id`. */
export function countPointingAt(
  ctx: DbCtx,
  table: SQLiteTable,
  column: SQLiteColumn,
  id: string,
): Promise<number> {
  return countWhere(ctx, table, eq(column, id));
}

/** Sets `column` from `fromId` to `toId` on every row of `table` that has it; how many there were. */
export async function reassignColumn(
  ctx: DbCtx,
  table: SQLiteTable,
  column: SQLiteColumn,
  fromId: string,
  toId: string,
): Promise<number> {
  const key = Object.entries(getTableColumns(table)).find(([, c]) => c === column)?.[0];
  if (!key) throw new Error(`reassignColumn: ${column.name} is not a column of the table`);
  const rows = await ctx.db
    .update(table)
    .set({ [key]: toId } as never)
    .where(eq(column, fromId))
    .returning({ one: sql`1` });
  return rows.length;
}
