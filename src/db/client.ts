import { type SQL, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { CacheBus } from '../lib/cache.ts';
import { openPostgres } from './postgres.ts';
import type * as sqliteSchema from './schema/sqlite.ts';
import { openSqlite } from './sqlite.ts';

/**
 * The database behind one interface for both dialects. Nothing outside src/db knows which
 * driver runs: SQLite through bun:sqlite under Bun or better-sqlite3 under Node, or PostgreSQL
 * through postgres.js.
 *
 * Repo code receives a `DbCtx` — `{ db, t, dialect }` — and always `await`s drizzle builders.
 * The query builder is typed as SQLite's; the PostgreSQL builder has the same shape for the
 * calls we make (select/insert/update/delete/returning/onConflict…), and the same test suite runs
 * on both dialects to keep that true. Never call `.run()/.all()/.get()`: they exist on SQLite only.
 */
export type Dialect = 'sqlite' | 'postgres';
export type Schema = typeof sqliteSchema;
export type Queryable = BetterSQLite3Database<Schema>;

export interface DbCtx {
  readonly db: Queryable;
  readonly t: Schema;
  readonly dialect: Dialect;
  /**
   * Runs `fn` once the surrounding transaction has committed (never if it rolls back); outside
   * a transaction, soon. For effects that must not happen before the data is durable: waking the
   * job worker, invalidating a cache.
   */
  afterCommit(fn: () => void): void;
}

export interface Db {
  readonly dialect: Dialect;
  /** Where the data lives, for logs (a file path, or the URL without password). */
  readonly location: string;
  /** Reads outside a transaction (on SQLite: a separate read-only connection; sees committed data). */
  readonly reader: DbCtx;
  /**
   * Runs `fn` in one transaction: atomic (a throw rolls back all of it) and isolated (others
   * never see its uncommitted rows); the promise resolves only once the commit is durable. The
   * callback may be async. A nested call joins the outer transaction.
   *
   * SQLite: callbacks run one at a time on the one writer connection, in arrival order. Those
   * that queue up while one runs are group-committed: one BEGIN IMMEDIATE … COMMIT (one fsync)
   * for the batch, each callback inside its own SAVEPOINT so a throw undoes only its own writes.
   * PostgreSQL: concurrent transactions at READ COMMITTED.
   */
  tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T>;
  /**
   * Carries cache invalidations to every instance on this database (db/cache-bus.ts): the caches
   * of the processes sharing this handle, and on PostgreSQL every other process (LISTEN/NOTIFY).
   */
  readonly cacheBus: CacheBus;
  /** Tells `observer` how long each transaction waited to start and, on SQLite, each group's size (metrics). */
  observe(observer: TxObserver): void;
  close(): Promise<void>;
}

/** What a database tells its observers (the metrics) about its transactions. */
export interface TxObserver {
  /** A transaction's callback started `ms` after it was asked for (SQLite's writer queue, a PostgreSQL pool connection). */
  waited(ms: number): void;
  /** SQLite: `size` transactions were committed together, with one fsync. */
  committedGroup?(size: number): void;
}

export interface SqliteOptions {
  path: string;
  synchronous: 'full' | 'normal';
  busyTimeoutMs?: number;
  /** Most transactions group-committed together (default 256). */
  maxGroup?: number;
}

/** Runs an after-commit hook soon, outside the transaction's call stack. */
export const runSoon = (fn: () => void) => queueMicrotask(fn);

/** Raw SQL returning rows, on either dialect (for dialect-specific statements and introspection). */
export async function queryRows<R = Record<string, unknown>>(ctx: DbCtx, query: SQL): Promise<R[]> {
  if (ctx.dialect === 'sqlite') return (await ctx.db.all(query)) as R[];
  const result = await (ctx.db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
  // postgres.js answers an array of rows; PGlite (tests) an object with `rows`.
  return Array.isArray(result) ? (result as R[]) : (result as { rows: R[] }).rows;
}

/** Raw SQL for its effect, on either dialect. */
export async function execute(ctx: DbCtx, query: SQL): Promise<void> {
  if (ctx.dialect === 'sqlite') await ctx.db.run(query);
  else await (ctx.db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
}

/** Opens the database a URL names: '' → SQLite at `sqlitePath`; postgres://… → PostgreSQL. */
export async function openDatabase(options: {
  url: string;
  sqlite: SqliteOptions;
  /** PostgreSQL search_path (tests isolate each file in its own schema). */
  pgSchema?: string;
  /** A direct PostgreSQL URL for LISTEN when `url` goes through PgBouncer (transaction mode). */
  listenUrl?: string;
  /** PostgreSQL connections kept open (`--database-pool`; default 10). */
  pool?: number;
}): Promise<Db> {
  if (options.url === '') return openSqlite(options.sqlite);
  return openPostgres(options.url, options.pgSchema, options.listenUrl, options.pool);
}

/** Answers whether the database is reachable (for /readyz). */
export async function ping(db: Db): Promise<boolean> {
  try {
    await queryRows(db.reader, sql`select 1 as ok`);
    return true;
  } catch {
    return false;
  }
}
