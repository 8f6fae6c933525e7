import { and, count, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbCtx } from './client.ts';

/**
 * The statements every repository writes, once: a row by a condition, whether one exists, an
 * insert that answers its row, an upsert, an update or delete that says what it touched. Each takes
 * the table and the condition (`undefined`: every row), so a repository function states only what
 * is its own — which table, which columns, which rows. Lists (their order, their limit) and joins
 * stay drizzle in the repository; `firstRow` finishes a joined find. Built on drizzle's builders,
 * awaited, so they run the same on SQLite and PostgreSQL. The casts are here because drizzle
 * cannot type a builder over a table it only knows as generic; callers get the table's own types.
 */

/** A table's row as selected, and as inserted (defaults may be left out). */
export type RowOf<T extends SQLiteTable> = T['$inferSelect'];
export type NewRowOf<T extends SQLiteTable> = T['$inferInsert'];
/** New values for some columns: a value, or an SQL expression (`sql\`${t.count} + 1\``). */
export type ChangesOf<T extends SQLiteTable> = { [K in keyof NewRowOf<T>]?: NewRowOf<T>[K] | SQL };

/** The named columns of `table`, to select only those: `ctx.db.select(columnsOf(t, ['id', 'email'])).from(t)`. */
export function columnsOf<T extends SQLiteTable, K extends keyof T['_']['columns'] & string>(
  table: T,
  keys: readonly K[],
): Pick<T['_']['columns'], K> {
  const all = getTableColumns(table);
  return Object.fromEntries(keys.map((k) => [k, all[k]])) as Pick<T['_']['columns'], K>;
}

/** The first row a query answers, or null: for finds that join or pick columns. */
export async function firstRow<R>(query: PromiseLike<R[]>): Promise<R | null> {
  const [row] = await query;
  return row ?? null;
}

/** The row of `table` that `where` picks (a unique column's value), or null. */
export function findRow<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  where: SQL | undefined,
): Promise<RowOf<T> | null> {
  return firstRow(
    ctx.db
      .select()
      .from(table as SQLiteTable)
      .where(where) as PromiseLike<RowOf<T>[]>,
  );
}

/**
 * The rows of `table` whose `column` holds one of `values` (and that `also` picks), in `orderBy`
 * order: the "these patients' forms", "these invoices' lines" lists. No values: no rows, and no
 * query (an empty IN is not valid SQL everywhere).
 */
export function rowsWhereIn<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  column: SQLiteColumn,
  values: readonly unknown[],
  orderBy: readonly (SQL | SQLiteColumn)[],
  also?: SQL,
): Promise<RowOf<T>[]> {
  if (values.length === 0) return Promise.resolve([]);
  return ctx.db
    .select()
    .from(table as SQLiteTable)
    .where(and(inArray(column, [...values]), also))
    .orderBy(...orderBy) as PromiseLike<RowOf<T>[]> as Promise<RowOf<T>[]>;
}

/**
 * One page of the rows of `table` that `where` picks, in `orderBy` order, and how many it picks in
 * all: the staff registers' paged lists (invoices, deliveries).
 */
export async function pageOfRows<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  where: SQL | undefined,
  orderBy: readonly (SQL | SQLiteColumn)[],
  page: { limit: number; offset: number },
): Promise<{ rows: RowOf<T>[]; total: number }> {
  const [rows, total] = await Promise.all([
    ctx.db
      .select()
      .from(table as SQLiteTable)
      .where(where)
      .orderBy(...orderBy)
      .limit(page.limit)
      .offset(page.offset) as PromiseLike<RowOf<T>[]>,
    countWhere(ctx, table, where),
  ]);
  return { rows, total };
}

/** How many rows of `table` `where` picks. */
export async function countWhere(ctx: DbCtx, table: SQLiteTable, where: SQL | undefined): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** Whether `table` has a row that `where` picks. */
export async function hasRow(ctx: DbCtx, table: SQLiteTable, where: SQL | undefined): Promise<boolean> {
  const rows = await ctx.db.select({ one: sql`1` }).from(table).where(where).limit(1);
  return rows.length > 0;
}

/** Inserts one row and answers it as stored (defaults filled in). */
export async function insertRow<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  values: NewRowOf<T>,
): Promise<RowOf<T>> {
  const [row] = await ctx.db
    .insert(table as SQLiteTable)
    .values(values as never)
    .returning();
  return row as RowOf<T>;
}

/**
 * Inserts `values`, or, when a row with the same `key` (a unique column, or columns) is there
 * already, sets `changes` on that row instead: one statement, so concurrent saves cannot collide.
 */
export async function upsertRow<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  values: NewRowOf<T>,
  key: SQLiteColumn | SQLiteColumn[],
  changes: ChangesOf<T>,
): Promise<void> {
  await ctx.db
    .insert(table as SQLiteTable)
    .values(values as never)
    .onConflictDoUpdate({ target: key, set: changes as never });
}

/** Sets `changes` on the row `where` picks; answers the updated row, or null when none matched. */
export function updateRow<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  where: SQL | undefined,
  changes: ChangesOf<T>,
): Promise<RowOf<T> | null> {
  const query = ctx.db
    .update(table as SQLiteTable)
    .set(changes as never)
    .where(where)
    .returning();
  return firstRow(query as PromiseLike<RowOf<T>[]>);
}

/** Sets `changes` on every row of `table` that `where` picks. */
export async function updateWhere<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  where: SQL | undefined,
  changes: ChangesOf<T>,
): Promise<void> {
  await ctx.db
    .update(table as SQLiteTable)
    .set(changes as never)
    .where(where);
}

/** Deletes the rows of `table` that `where` picks; answers how many there were. */
export async function deleteWhere(ctx: DbCtx, table: SQLiteTable, where: SQL | undefined): Promise<number> {
  const rows = await ctx.db.delete(table).where(where).returning({ one: sql`1` });
  return rows.length;
}
