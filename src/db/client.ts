import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as pgSchema from './schema/pg.ts';
import * as sqliteSchema from './schema/sqlite.ts';

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
}

export interface Db {
  readonly dialect: Dialect;
  /** Where the data lives, for logs (a file path, or the URL without password). */
  readonly location: string;
  /** Reads outside a transaction (on SQLite: a separate read-only connection; sees committed data). */
  readonly reader: DbCtx;
  /**
   * Runs `fn` in one transaction: atomic (a throw rolls back all of it) and isolated (others
   * never see its uncommitted rows). The callback may be async. On SQLite transactions are
   * serialized on the one writer connection and start with BEGIN IMMEDIATE; on PostgreSQL they
   * run concurrently at READ COMMITTED. A nested call joins the outer transaction.
   */
  tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SqliteOptions {
  path: string;
  synchronous: 'full' | 'normal';
  busyTimeoutMs?: number;
}

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
}): Promise<Db> {
  if (options.url === '') return openSqlite(options.sqlite);
  return openPostgres(options.url, options.pgSchema);
}

// ---------------------------------------------------------------- SQLite

interface RawSqlite {
  exec(sql: string): void;
  close(): void;
}

async function openSqlite(options: SqliteOptions): Promise<Db> {
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  const busy = options.busyTimeoutMs ?? 5000;
  const { raw: writerRaw, db: writerDb } = await openSqliteConnection(options.path, false);
  // WAL first (it is persistent in the file), then the per-connection settings.
  writerRaw.exec('PRAGMA journal_mode = WAL');
  for (const c of [writerRaw]) {
    c.exec(`PRAGMA busy_timeout = ${busy}`);
    c.exec('PRAGMA foreign_keys = ON');
    c.exec(`PRAGMA synchronous = ${options.synchronous.toUpperCase()}`);
  }
  const { raw: readerRaw, db: readerDb } = await openSqliteConnection(options.path, true);
  readerRaw.exec(`PRAGMA busy_timeout = ${busy}`);
  readerRaw.exec('PRAGMA foreign_keys = ON');

  const writer: DbCtx = { db: writerDb, t: sqliteSchema, dialect: 'sqlite' };
  const reader: DbCtx = { db: readerDb, t: sqliteSchema, dialect: 'sqlite' };
  const inTx = new AsyncLocalStorage<DbCtx>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  return {
    dialect: 'sqlite',
    location: options.path,
    reader,
    tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
      const outer = inTx.getStore();
      if (outer) return fn(outer);
      if (closed) return Promise.reject(new Error('database is closed'));
      const run = async () => {
        writerRaw.exec('BEGIN IMMEDIATE');
        try {
          const result = await inTx.run(writer, () => fn(writer));
          writerRaw.exec('COMMIT');
          return result;
        } catch (e) {
          try {
            writerRaw.exec('ROLLBACK');
          } catch {
            // SQLite may already have rolled back (e.g. on SQLITE_FULL); the original error matters.
          }
          throw e;
        }
      };
      // One writer connection, one transaction at a time, in arrival order.
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      readerRaw.close();
      writerRaw.close();
    },
  };
}

async function openSqliteConnection(
  path: string,
  readonly: boolean,
): Promise<{ raw: RawSqlite; db: Queryable }> {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined') {
    const { Database } = await import('bun:sqlite');
    const { drizzle } = await import('drizzle-orm/bun-sqlite');
    const raw = readonly ? new Database(path, { readonly: true }) : new Database(path, { create: true });
    return { raw, db: drizzle(raw, { schema: sqliteSchema }) as unknown as Queryable };
  }
  const { default: Database } = await import('better-sqlite3');
  const { drizzle } = await import('drizzle-orm/better-sqlite3');
  const raw = new Database(path, { readonly });
  return { raw, db: drizzle(raw, { schema: sqliteSchema }) };
}

// ---------------------------------------------------------------- PostgreSQL

async function openPostgres(url: string, searchPath?: string): Promise<Db> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    ...(searchPath ? { connection: { search_path: searchPath } } : {}),
  });
  const db = drizzle(client, { schema: pgSchema });
  return wrapPostgres(db, redactUrl(url), () => client.end({ timeout: 5 }));
}

/**
 * Wraps a drizzle PostgreSQL database (postgres.js, or PGlite in tests) as a `Db`.
 * Exported for testing/, which runs the PostgreSQL dialect on PGlite when no server is set.
 */
export function wrapPostgres(
  db: { transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> },
  location: string,
  close: () => Promise<void>,
): Db {
  const tables = pgSchema as unknown as Schema;
  const reader: DbCtx = { db: db as unknown as Queryable, t: tables, dialect: 'postgres' };
  const inTx = new AsyncLocalStorage<DbCtx>();
  let closing: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    location,
    reader,
    tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
      const outer = inTx.getStore();
      if (outer) return fn(outer);
      return db.transaction((tx) => {
        const ctx: DbCtx = { db: tx as Queryable, t: tables, dialect: 'postgres' };
        return inTx.run(ctx, () => fn(ctx));
      });
    },
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
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
