import { LRUCache } from 'lru-cache';

/** What the cache needs of a SQLite connection (bun:sqlite's Database and better-sqlite3's alike). */
interface Preparing<S> {
  prepare(sql: string): S;
}

/**
 * Keeps a SQLite connection's prepared statements by their SQL text, the `max` most recently used:
 * drizzle prepares every statement anew each time it runs, which was a tenth of an audited read's
 * CPU (SQLite parses and plans the text again). A cached statement is handed out again only as
 * drizzle leaves it: better-sqlite3's `.raw()` (drizzle's arrays of values) stays switched on, so
 * `reset` switches it off before the statement is reused. Statements run to completion
 * synchronously on both drivers, so one is never asked to run while it is still running — except
 * by `.iterate()`, which Clinicbox uses only on connections of its own (snapshots), never this one.
 */
export function cacheStatements<S extends object>(
  connection: Preparing<S>,
  reset: (statement: S) => void = () => {},
  max = 500,
): void {
  const prepare = connection.prepare.bind(connection);
  const statements = new LRUCache<string, S>({ max });
  connection.prepare = (sql: string) => {
    const cached = statements.get(sql);
    if (cached) {
      reset(cached);
      return cached;
    }
    const statement = prepare(sql);
    statements.set(sql, statement);
    return statement;
  };
}

/** better-sqlite3: back to rows as objects (drizzle turns `.raw()` on for arrays of values). */
export const resetBetterSqlite = (statement: { reader: boolean; raw(on: boolean): unknown }) => {
  if (statement.reader) statement.raw(false);
};
