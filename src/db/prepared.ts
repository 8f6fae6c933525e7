import { type Column, Param, sql } from 'drizzle-orm';
import type { DbCtx, Queryable } from './client.ts';

/**
 * A value filled in each time a prepared query runs: `eq(t.id, param('id'))`. Name the column when
 * its stored form differs from the value (dates: `gt(t.endsAt, param('now', t.endsAt))`) — drizzle
 * converts a placeholder's value only through a column it is given.
 */
export const param = (name: string, column?: Column) =>
  column ? new Param(sql.placeholder(name), column) : sql.placeholder(name);

/** What drizzle's `.prepare()` answers on both dialects: a query that runs with new values. */
interface Prepared<R> {
  execute(values?: object): R;
}

/**
 * A query built once per database handle and then only run, with its values as `param`s: for the
 * hottest reads and writes. drizzle builds a statement's SQL anew each time it runs — on an audited
 * read a third of the CPU (the statement's text, its columns' mapping, its `is()` class tests);
 * prepared, a run fills in the values and maps the rows. Kept per handle (`ctx.db`): the reader and
 * SQLite's one writer are long-lived, so their queries are built once; a PostgreSQL transaction's
 * handle is its own, so inside one the query is built as an unprepared one would be (and never
 * runs on another connection than the transaction's). On PostgreSQL it stays an unnamed statement,
 * as drizzle's unprepared queries are (nothing for PgBouncer to keep per client).
 */
export function preparedQuery<V extends object, R>(
  build: (ctx: DbCtx) => { prepare(): Prepared<R> },
): (ctx: DbCtx, values: V) => Promise<Awaited<R>> {
  const byHandle = new WeakMap<Queryable, Prepared<R>>();
  return async (ctx: DbCtx, values: V): Promise<Awaited<R>> => {
    let query = byHandle.get(ctx.db);
    if (!query) {
      query = build(ctx).prepare();
      byHandle.set(ctx.db, query);
    }
    return (await query.execute(values)) as Awaited<R>;
  };
}
