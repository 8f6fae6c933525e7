import { rmSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { bulkInserter } from '../db/bulk-insert.ts';
import { type Db, type DbCtx, type Dialect, execute, queryRows } from '../db/client.ts';
import { openSnapshotFile } from '../db/snapshot.ts';
import type { BlobStore } from '../storage/index.ts';
import type { BackupSecret } from './age.ts';
import {
  decodeValue,
  encodeValue,
  FORMAT_VERSION,
  MANIFEST_NAME,
  MASTER_KEY_PART,
  type Manifest,
  type PartSum,
  RETIRED_KEYS_PART,
  type TableSpec,
  tablePartOf,
  tableSpecs,
} from './format.ts';
import { ArchiveDamagedError, archiveEntries, ndjsonRows } from './read.ts';

/** A backup this Clinicbox cannot restore: made by a newer one. */
export class BackupTooNewError extends Error {
  override name = 'BackupTooNewError';
}

/** Opens the archive's bytes from the start (each pass reads it once). */
export type ArchiveSource = () => AsyncIterable<Uint8Array>;

export interface RestoreProgress {
  step(line: string): void;
}

/**
 * First pass: reads the whole archive without writing anything. Every part's size and SHA-256
 * must match the manifest (which comes last), no part may be missing or extra, and the backup must
 * come from a Clinicbox whose migrations this one knows. Answers the manifest.
 */
export async function checkArchive(
  open: ArchiveSource,
  secret: BackupSecret,
  knownMigrations: string[],
): Promise<Manifest> {
  const seen = new Map<string, { sha256: string; size: number }>();
  let manifest: Manifest | null = null;
  for await (const entry of archiveEntries(open(), secret)) {
    if (entry.name === MANIFEST_NAME) {
      const chunks: Buffer[] = [];
      for await (const c of entry.body) chunks.push(c);
      manifest = parseManifest(Buffer.concat(chunks));
      continue;
    }
    if (manifest)
      throw new ArchiveDamagedError(`part ${entry.name} follows the manifest, which must come last`);
    for await (const _ of entry.body) void _;
    seen.set(entry.name, entry.sum());
  }
  if (!manifest) throw new ArchiveDamagedError('the archive has no manifest.json (cut short?)');
  if (manifest.formatVersion > FORMAT_VERSION) {
    throw new BackupTooNewError(
      `the backup's format is version ${manifest.formatVersion}; this Clinicbox reads up to ${FORMAT_VERSION}: restore it with Clinicbox ${manifest.clinicboxVersion} or newer`,
    );
  }
  if (!matchingMigration(manifest.lastMigration, knownMigrations)) {
    throw new BackupTooNewError(
      `the backup comes from a newer Clinicbox (${manifest.clinicboxVersion}, migration ${manifest.lastMigration}, which this version does not know; it knows up to ${knownMigrations.at(-1)}): restore it with that version or newer`,
    );
  }
  for (const e of partsOf(manifest)) {
    const got = seen.get(e.part);
    if (!got) throw new ArchiveDamagedError(`part ${e.part} is missing from the archive`);
    if (got.size !== e.size || got.sha256 !== e.sha256) {
      throw new ArchiveDamagedError(`part ${e.part} does not match its checksum in the manifest`);
    }
    seen.delete(e.part);
  }
  const extra = [...seen.keys()];
  if (extra.length) throw new ArchiveDamagedError(`part ${extra[0]} is not in the manifest`);
  if (!manifest.keys.some((k) => k.part === MASTER_KEY_PART)) {
    throw new ArchiveDamagedError(`the archive has no ${MASTER_KEY_PART}`);
  }
  return manifest;
}

/** Every part the manifest names, with its sum. */
function partsOf(manifest: Manifest): ({ part: string } & PartSum)[] {
  return [
    ...(manifest.database ? [manifest.database] : []),
    ...manifest.tables.flatMap((t) => tablePartOf(t) ?? []),
    ...manifest.files.map((f) => ({ part: `files/${f.key}`, size: f.size, sha256: f.sha256 })),
    ...manifest.keys,
  ];
}

/**
 * This build's migration that matches a backup's (the same number: drizzle-kit names each
 * dialect's migration differently), or undefined when this build does not have it.
 */
export function matchingMigration(name: string, known: string[]): string | undefined {
  const number = name.split('_')[0];
  return known.find((m) => m === name) ?? known.find((m) => m.split('_')[0] === number);
}

function parseManifest(bytes: Buffer): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw new ArchiveDamagedError(`${MANIFEST_NAME} is not JSON`);
  }
  if (m?.format !== 'clinicbox-backup' || !Array.isArray(m.tables) || !Array.isArray(m.files)) {
    throw new ArchiveDamagedError(`${MANIFEST_NAME} is not a Clinicbox backup manifest`);
  }
  return m;
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

/**
 * Second pass, into an empty target. A backup's SQLite database file goes into a SQLite target as
 * it is (its checksum checked again, then its last migration and every table's row count against
 * the manifest); otherwise the rows go into the schema migrated up to the backup's last migration,
 * in one transaction (tables parents before children; SQLite also defers its foreign key checks
 * to the commit and checks them before), from the archive's table parts or from its database file.
 * Then the files into `store`, then the keys handed to `writeKeys`. Answers the open database
 * (closed on failure).
 */
export async function loadArchive(options: {
  open: ArchiveSource;
  secret: BackupSecret;
  manifest: Manifest;
  target: RestoreTarget;
  store: BlobStore;
  writeKeys(master: Buffer, retired: Buffer | null): void;
  progress: RestoreProgress;
}): Promise<{ restored: Restored; db: Db }> {
  const { target, store, manifest, progress } = options;
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
      const { part } = manifest.database;
      if (next.done || next.value.name !== part) {
        throw new ArchiveDamagedError(`the archive does not begin with its database, ${part}`);
      }
      const path = target.dialect === 'sqlite' ? target.sqlitePath : target.scratchPath;
      progress.step(`${part}: ${(manifest.database.size / 1048576).toFixed(1)} MB`);
      try {
        await writeFileFrom(path, next.value.body);
        checkSum(part, next.value.sum());
      } catch (e) {
        rmSync(path, { force: true });
        throw e;
      }
      next = await entries.next();
      if (target.dialect === 'sqlite') {
        db = await target.open(false);
        restored.tables = await checkDatabaseFile(db, manifest);
      } else {
        db = await target.open(true);
        const file = await openSnapshotFile(path);
        try {
          const specs = new Map(tableSpecs('sqlite').map((s) => [s.name, s]));
          async function* tables() {
            for (const info of manifest.tables) {
              const spec = specs.get(info.name);
              const orderBy = spec?.primaryKey.filter((c) => info.columns.includes(c));
              const rows = file.rows(info.name, info.columns, orderBy?.length ? orderBy : info.columns);
              yield { name: info.name, columns: info.columns, rows: neutralRows(spec, info.columns, rows) };
            }
          }
          restored.tables = await loadRows(db, manifest, tables(), progress);
        } finally {
          await file.close();
        }
      }
    } else {
      db = await target.open(true);
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
    }

    let master: Buffer | null = null;
    let retired: Buffer | null = null;
    let fileNo = 0;
    while (!next.done) {
      const entry = next.value;
      if (entry.name.startsWith('files/')) {
        fileNo++;
        if (fileNo === 1 || fileNo === manifest.files.length || fileNo % 100 === 0) {
          progress.step(`files: ${fileNo} of ${manifest.files.length}`);
        }
        const key = entry.name.slice('files/'.length);
        await store.put(key, Readable.from(entry.body));
        checkSum(entry.name, entry.sum());
        restored.files++;
        restored.fileBytes += entry.sum().size;
      } else if (entry.name === MASTER_KEY_PART || entry.name === RETIRED_KEYS_PART) {
        const chunks: Buffer[] = [];
        for await (const c of entry.body) chunks.push(c);
        checkSum(entry.name, entry.sum());
        if (entry.name === MASTER_KEY_PART) master = Buffer.concat(chunks);
        else retired = Buffer.concat(chunks);
      }
      next = await entries.next();
    }
    if (!master) throw new ArchiveDamagedError(`the archive has no ${MASTER_KEY_PART}`);
    options.writeKeys(master, retired);
    return { restored, db };
  } catch (e) {
    await db?.close();
    throw e;
  } finally {
    rmSync(target.scratchPath, { force: true });
  }
}

/** A part's bytes into a new owner-only file, flushed to disk. */
async function writeFileFrom(path: string, body: AsyncIterable<Buffer>): Promise<void> {
  const file = await openFile(path, 'wx', 0o600);
  try {
    for await (const chunk of body) await file.write(chunk);
    await file.sync();
  } finally {
    await file.close();
  }
}

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

/** Raw rows of a SQLite database file in the dialect-neutral form of the table parts. */
async function* neutralRows(
  spec: TableSpec | undefined,
  columns: string[],
  batches: AsyncIterable<Record<string, unknown>[]>,
): AsyncGenerator<Record<string, unknown>> {
  const targets = columns.map((c) => spec?.columns.get(c));
  for await (const batch of batches) {
    for (const raw of batch) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const name = columns[i]!;
        const v = raw[name];
        const column = targets[i];
        out[name] =
          v === null || v === undefined ? null : column ? encodeValue(column.mapFromDriverValue(v)) : v;
      }
      yield out;
    }
  }
}

/**
 * The rows of each table (in the dialect-neutral form) into `db`, in one transaction, each
 * table's count checked against the manifest.
 */
async function loadRows(
  db: Db,
  manifest: Manifest,
  tables: AsyncIterable<{ name: string; columns: string[]; rows: AsyncIterable<Record<string, unknown>> }>,
  progress: RestoreProgress,
): Promise<Restored['tables']> {
  const specs = new Map(tableSpecs(db.dialect).map((s) => [s.name, s]));
  const loaded: Restored['tables'] = [];
  await db.tx(async (ctx) => {
    if (ctx.dialect === 'sqlite') {
      await execute(ctx, sql`PRAGMA defer_foreign_keys = ON`);
      // The rows of one large table go in by primary key, but each secondary index takes them in
      // its own order: with SQLite's default 2 MB page cache most of those inserts miss it. This
      // connection lives only for the restore.
      await execute(ctx, sql`PRAGMA cache_size = -262144`);
    }
    for await (const table of tables) {
      const info = manifest.tables.find((t) => t.name === table.name)!;
      if (info.rows) progress.step(`db/${table.name}: ${info.rows} rows`);
      const rows = await loadTable(ctx, specs.get(table.name), table.name, table.columns, table.rows);
      if (rows !== info.rows) {
        throw new ArchiveDamagedError(
          `${manifest.database?.part ?? `part db/${table.name}.ndjson`}: ${rows} rows of ${table.name} where the manifest says ${info.rows}`,
        );
      }
      loaded.push({ name: table.name, rows });
    }
    if (ctx.dialect === 'sqlite') {
      const broken = await queryRows<{ table: string; parent: string }>(ctx, sql`PRAGMA foreign_key_check`);
      if (broken.length) {
        throw new ArchiveDamagedError(
          `${broken.length} rows point at rows the backup does not have (first: ${broken[0]!.table} → ${broken[0]!.parent})`,
        );
      }
    } else {
      for (const spec of specs.values()) {
        for (const column of spec.identity) await resetIdentity(ctx, spec.name, column);
      }
    }
  });
  return loaded;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

/** Inserts a table's rows; answers how many. */
async function loadTable(
  ctx: DbCtx,
  spec: TableSpec | undefined,
  name: string,
  columns: string[],
  rows: AsyncIterable<Record<string, unknown>>,
): Promise<number> {
  const overridingIdentity = ctx.dialect === 'postgres' && !!spec?.identity.some((c) => columns.includes(c));
  const inserter = bulkInserter(ctx, name, columns, { overridingIdentity });
  const targets = columns.map((c) => spec?.columns.get(c));
  let count = 0;
  for await (const row of rows) {
    await inserter.add(columns.map((c, i) => driverValue(ctx, targets[i], row[c])));
    count++;
  }
  await inserter.flush();
  return count;
}

function driverValue(
  ctx: DbCtx,
  column: TableSpec['columns'] extends Map<string, infer C> ? C | undefined : never,
  value: unknown,
): unknown {
  if (value === null || value === undefined) return null;
  if (!column) {
    // A column this version no longer describes: as it was, in a form both drivers bind.
    if (typeof value === 'boolean') return ctx.dialect === 'sqlite' ? (value ? 1 : 0) : value;
    return typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return column.mapToDriverValue(decodeValue(value, column));
}

async function resetIdentity(ctx: DbCtx, table: string, column: string): Promise<void> {
  await execute(
    ctx,
    sql`select setval(pg_get_serial_sequence(${`"${table}"`}, ${column}), coalesce((select max(${ident(column)}) from ${ident(table)}), 0) + 1, false)`,
  );
}
