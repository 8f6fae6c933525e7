import { rmSync } from 'node:fs';
import type { Dialect } from './client.ts';

/**
 * A consistent, read-only view of the whole database for a backup, taken on connections of its
 * own while the clinic keeps serving (nothing here touches the app's connections):
 * - SQLite: a copy into a temporary file (one read transaction on the live database, which never
 *   blocks its writer in WAL mode), then read with a connection of its own (a backup copies the
 *   file itself: `file`); the file is removed at close. Live files are never copied.
 * - PostgreSQL: one REPEATABLE READ READ ONLY transaction on a reserved connection; rows come
 *   through cursors, so no table is ever held in memory whole.
 * Rows come out as the driver gives them (keyed by column name), for the drizzle columns'
 * `mapFromDriverValue` to turn into JS values: the same raw values drizzle itself would see.
 */
export interface DbSnapshot {
  readonly dialect: Dialect;
  /**
   * SQLite: the snapshot's own database file (the copy; nothing writes it while the
   * snapshot is open), for a backup to copy whole. PostgreSQL: none.
   */
  readonly file?: string;
  /** Names of the applied migrations (clinicbox_migrations), in order. */
  migrations(): Promise<string[]>;
  /** Names of the tables the database has (to leave out what is not there). */
  tableNames(): Promise<Set<string>>;
  /** Every row of `table` (these columns), in `orderBy` order, a batch at a time. */
  rows(table: string, columns: string[], orderBy: string[]): AsyncIterable<Record<string, unknown>[]>;
  /** How many rows `table` has. */
  rowCount(table: string): Promise<number>;
  close(): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const selectSql = (table: string, columns: string[], orderBy: string[]) =>
  `select ${columns.map(quote).join(', ')} from ${quote(table)} order by ${orderBy.map(quote).join(', ')}`;

const BATCH = 500;

export async function openSnapshot(options: {
  /** '' for SQLite, else a postgres:// URL. */
  url: string;
  sqlitePath: string;
  /** Where the SQLite snapshot file is made (beside the live database: same protection). */
  tempPath: string;
}): Promise<DbSnapshot> {
  return options.url === ''
    ? openSqliteSnapshot(options.sqlitePath, options.tempPath)
    : openPgSnapshot(options.url);
}

interface RawStatement {
  iterate(...params: unknown[]): IterableIterator<unknown>;
}
interface RawConnection {
  exec(sql: string): void;
  prepare(sql: string): RawStatement;
  close(): void;
}

async function openRaw(path: string, readonly: boolean): Promise<RawConnection> {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined') {
    const { Database } = await import('bun:sqlite');
    const db = readonly ? new Database(path, { readonly: true }) : new Database(path);
    return db as unknown as RawConnection;
  }
  const { default: Database } = await import('better-sqlite3');
  return new Database(path, { readonly, fileMustExist: true }) as unknown as RawConnection;
}

async function openSqliteSnapshot(livePath: string, tempPath: string): Promise<DbSnapshot> {
  rmSync(tempPath, { force: true });
  await vacuumInto(livePath, tempPath);
  return openSnapshotFile(tempPath);
}

/*
 * The copy is made on a thread of its own: it runs for seconds on a large clinic (1–2 s at
 * 560 MB), and a scheduled backup runs inside `serve`, whose one thread answers every request.
 * Under Node (better-sqlite3) it is SQLite's online backup API, a copy of the pages, in one step:
 * one read transaction on the live database for the whole copy (WAL: the writer goes on; a step
 * never sees another's change half-way), about half the CPU of `VACUUM INTO`, which rebuilds
 * every table and index. The copy is then set to rollback-journal mode (it is read, never
 * written, and a restored file is opened as a database of its own). bun:sqlite has no backup
 * API: there it is `VACUUM INTO`. The code is a string (runs alike from source, the tests'
 * bundle and the binary); the driver is the one this process uses: bun:sqlite, or
 * better-sqlite3 by its resolved path.
 */
const vacuumWorker = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
const { dirname } = require('node:path');
const { live, temp, driver } = workerData;
const done = (error) => parentPort.postMessage({ error });
(async () => {
  const Database = driver === 'bun:sqlite' ? require('bun:sqlite').Database : require(driver);
  const db = new Database(live);
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    if (driver === 'bun:sqlite') {
      // The copy is a scratch file: synced, it made the backup wait ~2 s on the disk at 560 MB
      // (VACUUM INTO syncs its output as this connection's setting says; nothing else is written
      // here). What the backup writes is synced (writeSynced); a crash leaves no complete archive.
      db.exec('PRAGMA synchronous = OFF');
      db.exec("VACUUM INTO '" + temp.replace(/'/g, "''") + "'");
    } else {
      if (!existsSync(dirname(temp))) throw new Error('unable to open ' + temp + ': no such folder');
      // The first step starts the copy; the handler's answer makes the second copy every page.
      await db.backup(temp, { progress: () => 0x7fffffff });
      const copy = new Database(temp);
      try {
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
    }
  } finally {
    db.close();
  }
})().then(() => done(null), (e) => done(String((e && e.message) || e)));
`;

async function vacuumInto(livePath: string, tempPath: string): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const bun = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';
  const { createRequire } = await import('node:module');
  const driver = bun ? 'bun:sqlite' : createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(vacuumWorker, {
    eval: true,
    workerData: { live: livePath, temp: tempPath, driver },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', ({ error }: { error: string | null }) =>
        error === null ? resolve() : reject(new Error(`snapshot: ${error}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the snapshot thread stopped (exit ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * A SQLite database file nothing else writes (a snapshot, or one restored from a backup) read as
 * a snapshot; the file (and any -wal/-shm beside it) is removed at close.
 */
export async function openSnapshotFile(path: string): Promise<DbSnapshot> {
  const snap = await openRaw(path, true);
  const all = (query: string) => [...snap.prepare(query).iterate()] as Record<string, unknown>[];
  return {
    dialect: 'sqlite',
    file: path,
    async migrations() {
      const exists = all(
        `select 1 from sqlite_master where type = 'table' and name = 'clinicbox_migrations'`,
      );
      if (!exists.length) return [];
      return all('select name from clinicbox_migrations order by name').map((r) => String(r.name));
    },
    async tableNames() {
      return new Set(all(`select name from sqlite_master where type = 'table'`).map((r) => String(r.name)));
    },
    async *rows(table, columns, orderBy) {
      let batch: Record<string, unknown>[] = [];
      for (const row of snap.prepare(selectSql(table, columns, orderBy)).iterate()) {
        batch.push(row as Record<string, unknown>);
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
    async rowCount(table) {
      return Number(all(`select count(*) as n from ${quote(table)}`)[0]!.n);
    },
    async close() {
      try {
        snap.close();
      } catch {
        // a read cut short (the backup failed mid-table): the file goes all the same
      }
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
    },
  };
}

async function openPgSnapshot(url: string): Promise<DbSnapshot> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: 1, onnotice: () => {} });
  // drizzle sets the client's parsers (timestamps as text, as its columns expect): the raw rows
  // are then what drizzle's own queries see.
  drizzle(client);
  const conn = await client.reserve();
  try {
    await conn.unsafe('begin isolation level repeatable read read only');
  } catch (e) {
    conn.release();
    await client.end({ timeout: 5 });
    throw e;
  }
  return {
    dialect: 'postgres',
    async migrations() {
      const exists = await conn.unsafe(
        `select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'clinicbox_migrations'`,
      );
      if (!exists.length) return [];
      const rows = await conn.unsafe('select name from clinicbox_migrations order by name');
      return rows.map((r) => String(r.name));
    },
    async tableNames() {
      const rows = await conn.unsafe(
        `select table_name from information_schema.tables where table_schema = current_schema()`,
      );
      return new Set(rows.map((r) => String(r.table_name)));
    },
    async *rows(table, columns, orderBy) {
      for await (const batch of conn.unsafe(selectSql(table, columns, orderBy)).cursor(BATCH)) {
        yield batch as Record<string, unknown>[];
      }
    },
    async rowCount(table) {
      const [row] = await conn.unsafe(`select count(*)::int as n from ${quote(table)}`);
      return Number(row!.n);
    },
    async close() {
      try {
        await conn.unsafe('commit');
      } catch {
        // read only: nothing to keep (a cursor cut short by a failed backup)
      } finally {
        conn.release();
        await client.end({ timeout: 5 });
      }
    },
  };
}
