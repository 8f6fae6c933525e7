import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { cacheBus } from './cache-bus.ts';
import type { Db, DbCtx, Queryable, SqliteOptions, TxObserver } from './client.ts';
import * as sqliteSchema from './schema/sqlite.ts';
import { cacheStatements, resetBetterSqlite } from './statement-cache.ts';
import { type WalSync, walSync } from './wal-sync.ts';

/**
 * SQLite through bun:sqlite under Bun or better-sqlite3 under Node: one writer connection whose
 * transactions run one at a time (group-committed), and a read-only connection for reads.
 */

/**
 * Creates an empty database file that is the owner's alone, whatever the umask, unless one is
 * there; SQLite gives the -wal and -shm it makes beside it the database file's mode.
 */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

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
  /** When it was asked for (performance.now()). */
  queuedAt: number;
}

export async function openSqlite(options: SqliteOptions): Promise<Db> {
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  createOwnerOnly(options.path);
  const busy = options.busyTimeoutMs ?? 5000;
  const maxGroup = options.maxGroup ?? 256;
  const { raw: writerRaw, db: writerDb } = await openSqliteConnection(options.path, false);
  // The busy timeout first: switching to WAL takes a lock that a second process starting at the
  // same moment on a new file may hold. WAL is persistent in the file; the rest is per connection.
  writerRaw.exec(`PRAGMA busy_timeout = ${busy}`);
  writerRaw.exec('PRAGMA journal_mode = WAL');
  writerRaw.exec('PRAGMA foreign_keys = ON');
  // The delete that INSERT OR REPLACE does fires delete triggers only with this on (the audit log's).
  writerRaw.exec('PRAGMA recursive_triggers = ON');
  // FULL's fsync happens off the event loop, before a commit is acknowledged (wal-sync.ts).
  const syncer = options.synchronous === 'full' ? walSync(options.path) : null;
  writerRaw.exec('PRAGMA synchronous = NORMAL');
  const { raw: readerRaw, db: readerDb } = await openSqliteConnection(options.path, true);
  readerRaw.exec(`PRAGMA busy_timeout = ${busy}`);
  readerRaw.exec('PRAGMA foreign_keys = ON');

  const reader: DbCtx = { db: readerDb, t: sqliteSchema, dialect: 'sqlite', afterCommit: queueMicrotask };
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

  /** Runs queued callbacks in groups until none is left (see runGroup). */
  async function drain(): Promise<void> {
    while (pending.length > 0) {
      pending.unshift(...(await runGroup(writerRaw, writerDb, inTx, nextBatch(), observers, syncer)));
    }
  }

  // One process writes a SQLite file: the bus only reaches caches sharing this handle.
  const bus = cacheBus();
  const observers: TxObserver[] = [];
  return {
    dialect: 'sqlite',
    location: options.path,
    reader,
    cacheBus: bus,
    observe: (observer) => observers.push(observer),
    tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
      const outer = inTx.getStore();
      if (outer) return fn(outer);
      if (closed) return Promise.reject(new Error('database is closed'));
      return new Promise<T>((resolve, reject) => {
        pending.push({ fn, resolve: resolve as (v: unknown) => void, reject, queuedAt: performance.now() });
        kick();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await bus.close();
      while (draining) await draining;
      await syncer?.close();
      readerRaw.close();
      writerRaw.close();
    },
  };
}

/**
 * Runs one group of queued callbacks: one BEGIN IMMEDIATE … COMMIT (one fsync), a savepoint
 * each. A callback sees the released work of those before it in its group, as if they had
 * committed before it; it is only ever told "committed" if they all were. When the group cannot
 * commit (a deferred constraint, SQLite ending the transaction, an I/O error), every callback that
 * had succeeded is handed back to run again in a transaction of its own, so only the one at fault
 * fails and nothing that succeeds has seen another's work that did not commit. Answers the
 * callbacks to queue again, first.
 */
async function runGroup(
  writerRaw: RawSqlite,
  writerDb: Queryable,
  inTx: AsyncLocalStorage<DbCtx>,
  batch: PendingTx[],
  observers: readonly TxObserver[],
  syncer: WalSync | null,
): Promise<PendingTx[]> {
  try {
    writerRaw.exec('BEGIN IMMEDIATE');
  } catch (e) {
    for (const item of batch) item.reject(e);
    return [];
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
    const waited = performance.now() - item.queuedAt;
    for (const o of observers) o.waited(waited);
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
      return notRun;
    }
    return [...done.map((d) => ({ ...d.item, solo: true })), ...notRun];
  }
  for (const o of observers) o.committedGroup?.(done.length);
  const acknowledge = () => {
    for (const d of done) {
      d.item.resolve(d.value);
      for (const hook of d.hooks) queueMicrotask(hook);
    }
  };
  const refuse = (e: unknown) => {
    for (const d of done) d.item.reject(e);
  };
  // The next group waits for this sync (the event loop does not): transactions asked for
  // meanwhile gather into it, as they did behind an fsync in COMMIT. Groups run during the sync
  // are small, and each commit writes its pages to the WAL again.
  if (syncer) await syncer.durable().then(acknowledge, refuse);
  else acknowledge();
  return [];
}

async function openSqliteConnection(
  path: string,
  readonly: boolean,
): Promise<{ raw: RawSqlite; db: Queryable }> {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined') {
    const { Database } = await import('bun:sqlite');
    const { drizzle } = await import('drizzle-orm/bun-sqlite');
    const raw = readonly ? new Database(path, { readonly: true }) : new Database(path, { create: true });
    cacheStatements(raw);
    return { raw, db: drizzle(raw, { schema: sqliteSchema }) as unknown as Queryable };
  }
  const { default: Database } = await import('better-sqlite3');
  const { drizzle } = await import('drizzle-orm/better-sqlite3');
  const raw = new Database(path, { readonly });
  cacheStatements(raw, resetBetterSqlite);
  return { raw, db: drizzle(raw, { schema: sqliteSchema }) };
}
