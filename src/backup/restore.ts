import { rmSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { type Db, type Dialect, queryRows } from '../db/client.ts';
import type { BlobStore } from '../storage/index.ts';
import type { BackupSecret } from './age.ts';
import {
  type ArchiveSource,
  checkFormat,
  checkParts,
  partAfterManifest,
  partsOf,
  readManifest,
  refuseLayout,
  type SeenParts,
} from './check.ts';
import { DATABASE_PART, MANIFEST_NAME, MASTER_KEY_PART, type Manifest, RETIRED_KEYS_PART } from './format.ts';
import { ident, loadDatabaseFile, loadRows } from './load-rows.ts';
import { ArchiveDamagedError, type ArchiveEntry, archiveEntries, ndjsonRows } from './read.ts';
import { writeSynced } from './synced-write.ts';

export interface RestoreProgress {
  step(line: string): void;
}

export interface Restored {
  tables: { name: string; rows: number }[];
  files: number;
  fileBytes: number;
}

/** Where a restore goes: an empty database (SQLite file or PostgreSQL). */
export interface RestoreTarget {
  dialect: Dialect;
  /** SQLite: where the database file goes (it must not exist yet). */
  sqlitePath: string;
  /**
   * An owner-only file beside the target, removed after: where a backup's SQLite database file is
   * put while its rows are loaded into PostgreSQL.
   */
  scratchPath: string;
  /**
   * Opens the target database; `toBackup`: its empty schema migrated first up to the backup's last
   * migration, for the backup's rows to go into (false: the database file came whole from it).
   */
  open(toBackup: boolean): Promise<Db>;
}

export interface RestoreInto {
  open: ArchiveSource;
  secret: BackupSecret;
  target: RestoreTarget;
  store: BlobStore;
  writeKeys(master: Buffer, retired: Buffer | null): void;
  progress: RestoreProgress;
}

/** An archive checked against its manifest, and what puts the database in place from it. */
export interface CheckedArchive {
  manifest: Manifest;
  /** The database into the target, checked, and the keys written. Answers the open database. */
  load(): Promise<{ restored: Restored; db: Db }>;
}

/**
 * A restore in one pass, for an archive whose database is one SQLite file (formats 2 and 3,
 * from SQLite): each part is decrypted, hashed and written once — the database file into place (or,
 * for PostgreSQL, beside it, its rows loaded by `load`), the files into `store`, the keys held —
 * then the manifest (last) is checked against what was seen (`checkParts`). Refused (damage, a
 * changed part, a newer Clinicbox): what was written is removed before the error is thrown, so
 * the target is as it was. The files may come before the database file (format 3: a backup writes
 * those it listed first while its snapshot is made). A part this layout has no place for: the
 * archive is read on to its manifest, and refused as a newer Clinicbox's if that says so. Answers null at once, having written nothing, when
 * the archive begins with neither (a backup from PostgreSQL, or format 1: a part per table): then
 * `checkArchive` reads it whole first and `loadArchive` a second time.
 */
export async function readArchiveOnce(
  options: RestoreInto & { knownMigrations: string[] },
): Promise<CheckedArchive | null> {
  const { target, store, progress } = options;
  const entries = archiveEntries(options.open(), options.secret)[Symbol.asyncIterator]();
  const first = await entries.next();
  if (first.done || !(first.value.name === DATABASE_PART || first.value.name.startsWith('files/'))) {
    await entries.return(undefined);
    return null;
  }
  const path = target.dialect === 'sqlite' ? target.sqlitePath : target.scratchPath;
  const seen: SeenParts = new Map();
  const put: string[] = [];
  const keys = new Map<string, Buffer>();
  const puts = new Puts(store);
  let manifest: Manifest | null = null;
  let fileBytes = 0;
  let wroteDatabase = false;
  try {
    for (let next: IteratorResult<ArchiveEntry> = first; !next.done; next = await entries.next()) {
      const entry = next.value;
      if (manifest) throw partAfterManifest(entry.name);
      if (entry.name === MANIFEST_NAME) {
        manifest = await readManifest(entry.body);
        checkFormat(manifest);
        continue;
      }
      if (entry.name === DATABASE_PART) {
        if (wroteDatabase) {
          await refuseLayout(new ArchiveDamagedError(`part ${DATABASE_PART} comes twice`), entries);
        }
        progress.step(`${DATABASE_PART}: ${(entry.size / 1048576).toFixed(1)} MB`);
        wroteDatabase = true;
        await writeFileFrom(path, entry.body);
      } else if (entry.name.startsWith('files/')) {
        const key = entry.name.slice('files/'.length);
        if (put.length % 100 === 0) progress.step(`files: ${put.length + 1}…`);
        put.push(key);
        await puts.put(key, entry);
        fileBytes += entry.sum().size;
      } else if (entry.name === MASTER_KEY_PART || entry.name === RETIRED_KEYS_PART) {
        keys.set(entry.name, await bytesOf(entry));
      } else if (entry.name.startsWith('db/')) {
        // A table part beside the database file: no layout this version writes (a newer one's?).
        await refuseLayout(new ArchiveDamagedError(`part ${entry.name} is not in the manifest`), entries);
      } else {
        // Not a part this version writes: checkParts names it (not in the manifest) or it is one.
        for await (const _ of entry.body) void _;
      }
      seen.set(entry.name, entry.sum());
    }
    await puts.done();
    if (!manifest) throw new ArchiveDamagedError('the archive has no manifest.json (cut short?)');
    checkParts(manifest, seen, options.knownMigrations);
  } catch (e) {
    await entries.return(undefined).catch(() => {});
    await puts.done().catch(() => {});
    removeDatabaseFile(path);
    for (const key of put) await store.delete(key).catch(() => {});
    throw e;
  }
  const checked = manifest;
  return {
    manifest: checked,
    async load() {
      let db: Db | null = null;
      try {
        db = await target.open(target.dialect !== 'sqlite');
        const tables =
          target.dialect === 'sqlite'
            ? await checkDatabaseFile(db, checked)
            : await loadDatabaseFile(db, path, checked, progress);
        options.writeKeys(keys.get(MASTER_KEY_PART)!, keys.get(RETIRED_KEYS_PART) ?? null);
        return { restored: { tables, files: put.length, fileBytes }, db };
      } catch (e) {
        await db?.close();
        throw e;
      } finally {
        rmSync(target.scratchPath, { force: true });
      }
    },
  };
}

/**
 * Second pass (after `checkArchive`), for an archive with a part per table: the rows go into the
 * schema migrated up to the backup's last migration, in one transaction (tables parents before
 * children; SQLite also defers its foreign key checks to the commit and checks them before), each
 * part's checksum checked again as it is read; then the files into `store`, then the keys handed
 * to `writeKeys`. Answers the open database (closed on failure).
 */
export async function loadArchive(
  options: RestoreInto & { manifest: Manifest },
): Promise<{ restored: Restored; db: Db }> {
  const { store, manifest, progress } = options;
  const sums = new Map(partsOf(manifest).map((p) => [p.part, p.sha256]));
  const checkSum = (name: string, sum: { sha256: string }) => {
    if (sums.get(name) !== sum.sha256) {
      throw new ArchiveDamagedError(`part ${name} changed between the check and the restore`);
    }
  };
  const entries = archiveEntries(options.open(), options.secret)[Symbol.asyncIterator]();
  let next = await entries.next();
  const restored: Restored = { tables: [], files: 0, fileBytes: 0 };
  let db: Db | null = null;
  try {
    if (manifest.database) {
      throw new ArchiveDamagedError(
        `the archive does not begin with its database, ${manifest.database.part}`,
      );
    }
    db = await options.target.open(true);
    async function* tables() {
      while (!next.done && next.value.name.startsWith('db/')) {
        const entry = next.value;
        const name = entry.name.slice('db/'.length, -'.ndjson'.length);
        const info = manifest.tables.find((t) => t.name === name)!;
        yield { name, columns: info.columns, rows: ndjsonRows(entry.body, entry.name) };
        checkSum(entry.name, entry.sum());
        next = await entries.next();
      }
    }
    restored.tables = await loadRows(db, manifest, tables(), progress);

    let master: Buffer | null = null;
    let retired: Buffer | null = null;
    while (!next.done) {
      const entry = next.value;
      if (entry.name.startsWith('files/')) {
        if (restored.files % 100 === 0)
          progress.step(`files: ${restored.files + 1} of ${manifest.files.length}`);
        await store.put(entry.name.slice('files/'.length), Readable.from(entry.body));
        checkSum(entry.name, entry.sum());
        restored.files++;
        restored.fileBytes += entry.sum().size;
      } else if (entry.name === MASTER_KEY_PART || entry.name === RETIRED_KEYS_PART) {
        const bytes = await bytesOf(entry);
        checkSum(entry.name, entry.sum());
        if (entry.name === MASTER_KEY_PART) master = bytes;
        else retired = bytes;
      }
      next = await entries.next();
    }
    if (!master) throw new ArchiveDamagedError(`the archive has no ${MASTER_KEY_PART}`);
    options.writeKeys(master, retired);
    return { restored, db };
  } catch (e) {
    await entries.return(undefined).catch(() => {});
    await db?.close();
    throw e;
  }
}

/**
 * Files put into the store a few at a time: each put waits on its own fsync (and rename and
 * folder sync), so the next parts are decrypted and hashed meanwhile. A file is read into memory
 * first (its hash is then known), at most `HELD` bytes of them at once; a larger one is put
 * straight from the archive, alone.
 */
class Puts {
  private readonly running = new Set<Promise<void>>();
  private held = 0;
  private failed: { error: unknown } | null = null;
  constructor(private readonly store: BlobStore) {}

  async put(key: string, entry: ArchiveEntry): Promise<void> {
    if (entry.size > HELD / 4) {
      await this.done();
      await this.store.put(key, Readable.from(entry.body));
      return;
    }
    // Its pieces as they came (not joined: the store writes them together).
    const pieces: Buffer[] = [];
    for await (const piece of entry.body) pieces.push(piece);
    const size = entry.sum().size;
    this.held += size;
    const running: Promise<void> = this.store
      .put(key, Readable.from(pieces))
      .then(
        () => {},
        (error) => {
          this.failed ??= { error };
        },
      )
      .finally(() => {
        this.held -= size;
        this.running.delete(running);
      });
    this.running.add(running);
    while (this.running.size && (this.held > HELD || this.running.size > 8)) {
      await Promise.race(this.running);
    }
    if (this.failed) throw this.failed.error;
  }

  /** Waits for every put; throws the first that failed. */
  async done(): Promise<void> {
    await Promise.all(this.running);
    if (this.failed) throw this.failed.error;
  }
}
const HELD = 64 << 20;

async function bytesOf(entry: ArchiveEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of entry.body) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A part's bytes into a new owner-only file, on disk before it answers (synced as it is written). */
async function writeFileFrom(path: string, body: AsyncIterable<Buffer>): Promise<void> {
  const file = await openFile(path, 'wx', 0o600);
  try {
    await writeSynced(file, body);
  } finally {
    await file.close();
  }
}

const removeDatabaseFile = (path: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
};

/**
 * A database file restored whole: it must be the backup's (its last migration and each table's
 * rows as the manifest says). Answers the tables and their rows.
 */
async function checkDatabaseFile(db: Db, manifest: Manifest): Promise<Restored['tables']> {
  const names = await queryRows<{ name: string }>(
    db.reader,
    sql`select name from clinicbox_migrations order by name`,
  ).catch(() => []);
  if (names.at(-1)?.name !== manifest.lastMigration) {
    throw new ArchiveDamagedError(
      `${manifest.database!.part}: its last migration is ${names.at(-1)?.name ?? '(none)'} where the manifest says ${manifest.lastMigration}`,
    );
  }
  const tables: Restored['tables'] = [];
  for (const t of manifest.tables) {
    const [row] = await queryRows<{ n: number }>(db.reader, sql`select count(*) as n from ${ident(t.name)}`);
    const rows = Number(row?.n);
    if (rows !== t.rows) {
      throw new ArchiveDamagedError(
        `${manifest.database!.part}: ${t.name} has ${rows} rows where the manifest says ${t.rows}`,
      );
    }
    tables.push({ name: t.name, rows });
  }
  return tables;
}
