import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
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
  close(): Promise<void>;
}

export interface SqliteOptions {
  path: string;
  synchronous: 'full' | 'normal';
  busyTimeoutMs?: number;
  /** Most transactions group-committed together (default 256). */
  maxGroup?: number;
}

const runSoon = (fn: () => void) => queueMicrotask(fn);

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
  readonly inTransaction: boolean;
}

interface PendingTx {
  fn: (ctx: DbCtx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Runs in a transaction of its own: set when the group it first ran in failed to commit. */
  solo?: boolean;
}

async function openSqlite(options: SqliteOptions): Promise<Db> {
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  const busy = options.busyTimeoutMs ?? 5000;
  const maxGroup = options.maxGroup ?? 256;
  const { raw: writerRaw, db: writerDb } = await openSqliteConnection(options.path, false);
  // The busy timeout first: switching to WAL takes a lock that a second process starting at the
  // same moment on a new file may hold. WAL is persistent in the file; the rest is per connection.
  writerRaw.exec(`PRAGMA busy_timeout = ${busy}`);
  writerRaw.exec('PRAGMA journal_mode = WAL');
  writerRaw.exec('PRAGMA foreign_keys = ON');
  writerRaw.exec(`PRAGMA synchronous = ${options.synchronous.toUpperCase()}`);
  const { raw: readerRaw, db: readerDb } = await openSqliteConnection(options.path, true);
  readerRaw.exec(`PRAGMA busy_timeout = ${busy}`);
  readerRaw.exec('PRAGMA foreign_keys = ON');

  const reader: DbCtx = { db: readerDb, t: sqliteSchema, dialect: 'sqlite', afterCommit: runSoon };
  const inTx = new AsyncLocalStorage<DbCtx>();
  const pending: PendingTx[] = [];
  let draining: Promise<void> | null = null;
  let closed = false;
  const kick = () => {
    if (draining) return;
    draining = drain().finally(() => {
      draining = null;
      // A transaction may have queued after the loop's last check: start again for it.
      if (pending.length > 0) kick();
    });
  };

  /** The next group: consecutive ordinary transactions, or one that must run alone. */
  function nextBatch(): PendingTx[] {
    if (pending[0]?.solo) return pending.splice(0, 1);
    let n = 0;
    while (n < pending.length && n < maxGroup && !pending[n]!.solo) n++;
    return pending.splice(0, n);
  }

  /**
   * Runs queued callbacks in groups: one BEGIN IMMEDIATE … COMMIT per group (one fsync), a
   * savepoint each. A callback sees the released work of those before it in its group, as if they
   * had committed before it; it is only ever told "committed" if they all were. When the group
   * cannot commit (a deferred constraint, SQLite ending the transaction, an I/O error), every
   * callback that had succeeded runs again in a transaction of its own, so only the one at fault
   * fails and nothing that succeeds has seen another's work that did not commit.
   */
  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = nextBatch();
      try {
        writerRaw.exec('BEGIN IMMEDIATE');
      } catch (e) {
        for (const item of batch) item.reject(e);
        continue;
      }
      const done: { item: PendingTx; value: unknown; hooks: (() => void)[] }[] = [];
      let lost: unknown = null; // set when SQLite itself ended the transaction
      const notRun: PendingTx[] = [];
      for (const item of batch) {
        if (lost) {
          notRun.push(item); // not run yet: it goes in the next group
          continue;
        }
        const hooks: (() => void)[] = [];
        const ctx: DbCtx = {
          db: writerDb,
          t: sqliteSchema,
          dialect: 'sqlite',
          afterCommit: (f) => hooks.push(f),
        };
        writerRaw.exec('SAVEPOINT tx');
        try {
          const value = await inTx.run(ctx, () => item.fn(ctx));
          writerRaw.exec('RELEASE tx');
          done.push({ item, value, hooks });
        } catch (e) {
          if (writerRaw.inTransaction) {
            writerRaw.exec('ROLLBACK TO tx');
            writerRaw.exec('RELEASE tx');
          } else {
            lost = e;
          }
          item.reject(e);
        }
      }
      try {
        if (lost) throw lost;
        writerRaw.exec('COMMIT');
      } catch (e) {
        if (writerRaw.inTransaction) writerRaw.exec('ROLLBACK');
        if (batch.length === 1) {
          for (const d of done) d.item.reject(e);
          pending.unshift(...notRun);
        } else {
          pending.unshift(...done.map((d) => ({ ...d.item, solo: true })), ...notRun);
        }
        continue;
      }
      for (const d of done) {
        d.item.resolve(d.value);
        for (const hook of d.hooks) runSoon(hook);
      }
    }
  }

  return {
    dialect: 'sqlite',
    location: options.path,
    reader,
    tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
      const outer = inTx.getStore();
      if (outer) return fn(outer);
      if (closed) return Promise.reject(new Error('database is closed'));
      return new Promise<T>((resolve, reject) => {
        pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        kick();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      while (draining) await draining;
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
    ...(new URL(url).username ? {} : { username: defaultPgUser() }),
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
  const reader: DbCtx = {
    db: db as unknown as Queryable,
    t: tables,
    dialect: 'postgres',
    afterCommit: runSoon,
  };
  const inTx = new AsyncLocalStorage<DbCtx>();
  let closing: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    location,
    reader,
    tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
      const outer = inTx.getStore();
      if (outer) return fn(outer);
      const hooks: (() => void)[] = [];
      return db
        .transaction((tx) => {
          const ctx: DbCtx = {
            db: tx as Queryable,
            t: tables,
            dialect: 'postgres',
            afterCommit: (f) => hooks.push(f),
          };
          return inTx.run(ctx, () => fn(ctx));
        })
        .then((value) => {
          for (const hook of hooks) runSoon(hook);
          return value;
        });
    },
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/**
 * The user for a URL without one, as libpq would pick it. Bun's os.userInfo() answers "unknown"
 * when $USER is unset (services, CI), so fail with an actionable message rather than connect as that.
 */
function defaultPgUser(): string {
  const user = process.env.PGUSER || process.env.USER || process.env.LOGNAME || userInfo().username;
  if (!user || user === 'unknown') {
    throw new Error(
      '--database-url has no user and none can be found: put it in the URL, postgres://USER@host:5432/db',
    );
  }
  return user;
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
