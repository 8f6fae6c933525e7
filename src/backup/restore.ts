import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { bulkInserter } from '../db/bulk-insert.ts';
import { type Db, type DbCtx, execute, queryRows } from '../db/client.ts';
import type { BlobStore } from '../storage/index.ts';
import type { BackupSecret } from './age.ts';
import {
  decodeValue,
  FORMAT_VERSION,
  MANIFEST_NAME,
  MASTER_KEY_PART,
  type Manifest,
  RETIRED_KEYS_PART,
  type TableSpec,
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
  const expected = [
    ...manifest.tables.map((t) => ({ part: `db/${t.name}.ndjson`, size: t.size, sha256: t.sha256 })),
    ...manifest.files.map((f) => ({ part: `files/${f.key}`, size: f.size, sha256: f.sha256 })),
    ...manifest.keys,
  ];
  for (const e of expected) {
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

/**
 * Second pass, into an empty target whose schema is migrated up to the backup's last migration:
 * the rows in one transaction (tables in the archive's order, parents before children; SQLite
 * also defers its foreign key checks to the commit and checks them before), each part's checksum
 * checked again; then the files into `store`, then the keys handed to `writeKeys`.
 */
export async function loadArchive(options: {
  open: ArchiveSource;
  secret: BackupSecret;
  manifest: Manifest;
  db: Db;
  store: BlobStore;
  writeKeys(master: Buffer, retired: Buffer | null): void;
  progress: RestoreProgress;
}): Promise<Restored> {
  const { db, store, manifest, progress } = options;
  const specs = new Map(tableSpecs(db.dialect).map((s) => [s.name, s]));
  const sums = new Map<string, string>([
    ...manifest.tables.map((t) => [`db/${t.name}.ndjson`, t.sha256] as const),
    ...manifest.files.map((f) => [`files/${f.key}`, f.sha256] as const),
    ...manifest.keys.map((k) => [k.part, k.sha256] as const),
  ]);
  const checkSum = (name: string, sum: { sha256: string }) => {
    if (sums.get(name) !== sum.sha256) {
      throw new ArchiveDamagedError(`part ${name} changed between the check and the restore`);
    }
  };
  const entries = archiveEntries(options.open(), options.secret)[Symbol.asyncIterator]();
  let next = await entries.next();
  const restored: Restored = { tables: [], files: 0, fileBytes: 0 };

  await db.tx(async (ctx) => {
    if (ctx.dialect === 'sqlite') {
      await execute(ctx, sql`PRAGMA defer_foreign_keys = ON`);
      // The rows of one large table go in by primary key, but each secondary index takes them in
      // its own order: with SQLite's default 2 MB page cache most of those inserts miss it. This
      // connection lives only for the restore.
      await execute(ctx, sql`PRAGMA cache_size = -262144`);
    }
    while (!next.done && next.value.name.startsWith('db/')) {
      const entry = next.value;
      const name = entry.name.slice('db/'.length, -'.ndjson'.length);
      const info = manifest.tables.find((t) => t.name === name)!;
      if (info.rows) progress.step(`db/${name}: ${info.rows} rows`);
      const rows = await loadTable(
        ctx,
        specs.get(name),
        name,
        info.columns,
        ndjsonRows(entry.body, entry.name),
      );
      checkSum(entry.name, entry.sum());
      if (rows !== info.rows)
        throw new ArchiveDamagedError(
          `part ${entry.name}: ${rows} rows where the manifest says ${info.rows}`,
        );
      restored.tables.push({ name, rows });
      next = await entries.next();
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
  return restored;
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
