import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { DbSnapshot } from '../db/snapshot.ts';
import type { BlobStore, ObjectInfo } from '../storage/index.ts';
import type { PositionalReader } from '../storage/types.ts';
import { archiveSealer, type BackupEncryption } from './age.ts';
import type { ArchiveBlocks } from './archive-blocks.ts';
import {
  BackupError,
  DATABASE_PART,
  FORMAT_VERSION,
  filePart,
  MANIFEST_NAME,
  MANIFEST_NOTE,
  MASTER_KEY_PART,
  type Manifest,
  type ManifestTable,
  RETIRED_KEYS_PART,
  tablePart,
  tableSpecs,
} from './format.ts';
import { encodeTable, Spool, type TablePart, tableBytes } from './table-parts.ts';

/** What a backup reports as it goes: a step begun, and bytes done of the whole. */
export interface BackupProgress {
  step(line: string): void;
  bytes(done: number, total: number): void;
}

export interface BackupSource {
  /**
   * The database snapshot, or (SQLite) the snapshot being made: the files listed so far are
   * written while it is made, and those listed after it is complete follow the database part.
   */
  snapshot: DbSnapshot | Promise<DbSnapshot>;
  store: BlobStore;
  /** The master key file's contents, and the retired keys' (after a rotation), if any. */
  masterKey: Buffer;
  retiredKeys: Buffer | null;
  /** The migrations this build knows (the snapshot must have exactly these applied). */
  knownMigrations: string[];
  clinicboxVersion: string;
  now: () => Date;
  /**
   * A file the backup may write (created owner-only, removed when it ends) to hold the table
   * parts too large to keep in memory until their turn: put it beside the database (it holds
   * rows as plainly as the snapshot does). Without it, such a table is read from the snapshot
   * twice (once for its size, once for its bytes), which is slower.
   */
  spoolPath?: string;
}

export { BackupError };

/** What a snapshot holds, checked against this build, before any of it is written. */
interface Prepared {
  last: string;
  /** SQLite: the snapshot's file, copied whole (the manifest counts the rows). */
  file: { path: string; size: number } | null;
  /** PostgreSQL: a part per table, each encoded once (size, hash and rows known). */
  parts: TablePart[];
  counted: ManifestTable[];
}

async function prepare(snapshot: DbSnapshot, source: BackupSource, spool: Spool | null): Promise<Prepared> {
  const applied = await snapshot.migrations();
  const last = applied.at(-1);
  const pending = source.knownMigrations.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !source.knownMigrations.includes(m));
  if (!last) throw new BackupError('the database has no migrations applied: nothing to back up');
  if (unknown.length) {
    throw new BackupError(
      `the database was migrated by a newer Clinicbox (${unknown.join(', ')}): back it up with that version`,
    );
  }
  if (pending.length) {
    throw new BackupError(
      `the database lacks migrations this version has (${pending.join(', ')}): run migrate (or serve) first`,
    );
  }
  const present = await snapshot.tableNames();
  const specs = tableSpecs(snapshot.dialect).filter((s) => present.has(s.name));
  const file = snapshot.file ? { path: snapshot.file, size: statSync(snapshot.file).size } : null;
  const parts: TablePart[] = [];
  const counted: ManifestTable[] = [];
  for (const spec of specs) {
    if (file) {
      counted.push({
        name: spec.name,
        rows: await snapshot.rowCount(spec.name),
        columns: [...spec.columns.keys()],
      });
    } else parts.push(await encodeTable(snapshot, spec, spool));
  }
  return { last, file, parts, counted };
}

/**
 * The encrypted archive as a stream of bytes, and the manifest once the stream has ended.
 * A snapshot still being made (SQLite) is checked once it is there; until then the files listed
 * at the start are written. A snapshot given whole (PostgreSQL) is checked before anything is.
 */
export async function backupStream(
  source: BackupSource,
  encryption: BackupEncryption,
  progress: BackupProgress,
): Promise<{ bytes: AsyncIterable<Uint8Array>; manifest: Promise<Manifest> }> {
  const ready = source.snapshot instanceof Promise ? null : source.snapshot;
  const spool = ready && !ready.file && source.spoolPath ? new Spool(source.spoolPath) : null;
  let early: Prepared | null = null;
  const files: ObjectInfo[] = [];
  try {
    if (ready) {
      // PostgreSQL: one pass over the snapshot: each table part encoded once, its size (for its
      // tar header), hash and rows known before its bytes are written; small parts are held in
      // memory, large ones in the spool file (or, with none, read again).
      progress.step(`reading the database snapshot (${ready.dialect})`);
      early = await prepare(ready, source, spool);
    }
    for await (const info of source.store.list()) files.push(info);
  } catch (e) {
    spool?.remove();
    throw e;
  }
  progress.step(`${files.length} stored files in ${source.store.location}`);
  let total = files.reduce((n, f) => n + f.size, 0) + (early?.parts.reduce((n, m) => n + m.size, 0) ?? 0);

  const { blocks, encrypted } = await archiveSealer(encryption);
  let resolveManifest!: (m: Manifest) => void;
  let rejectManifest!: (e: unknown) => void;
  const manifest = new Promise<Manifest>((res, rej) => {
    resolveManifest = res;
    rejectManifest = rej;
  });
  manifest.catch(() => {});
  let done = 0;
  const advance = (n: number) => {
    done += n;
    progress.bytes(done, total);
  };

  const produce = async () => {
    const mtime = source.now();
    const fileSums: Promise<Manifest['files'][number]>[] = [];
    const written = new Set<string>();
    let fileNo = 0;
    const copyFiles = async (list: ObjectInfo[]) => {
      for (const info of list) {
        fileNo++;
        written.add(info.key);
        const header = { name: filePart(info.key), size: info.size, mtime: info.modifiedAt };
        const sum = await copyObject(source.store, blocks, info, header, advance);
        if (!sum) {
          progress.step(`files/${info.key}: removed since it was listed, left out`);
          continue;
        }
        if (fileNo === 1 || fileNo % 100 === 0) progress.step(`files: ${fileNo} of ${files.length}…`);
        fileSums.push(sum.sum.then((sha256) => ({ key: info.key, size: info.size, sha256 })));
      }
    };
    // SQLite: the files listed so far go first, while the snapshot is made on its own thread.
    if (!ready) await copyFiles(files);
    const snapshot = await source.snapshot;
    if (!ready) progress.step('reading the database snapshot');
    const { last, file, parts, counted } = early ?? (await prepare(snapshot, source, null));
    const tables: Manifest['tables'] = counted;
    let database: Promise<Manifest['database']> | undefined;
    // Format 3 when stored files precede the database part (format 2 readers expect it first).
    const filesFirst = fileSums.length > 0;
    if (file) {
      const rows = counted.reduce((n, t) => n + t.rows, 0);
      progress.step(`${DATABASE_PART}: ${rows} rows in ${counted.length} tables`);
      total += file.size;
      const handle = await open(file.path, 'r');
      try {
        const reader = {
          size: (await handle.stat()).size,
          read: (into: Buffer, position: number) => readFully(handle, into, position),
        };
        if (reader.size !== file.size) {
          throw new BackupError(`${DATABASE_PART}: the snapshot file changed size while it was read`);
        }
        const sum = await readPart(blocks, { name: DATABASE_PART, size: file.size, mtime }, reader, advance);
        database = sum.sum.then((sha256) => ({ part: DATABASE_PART, size: file.size, sha256 }));
      } finally {
        await handle.close();
      }
    }
    for (const part of parts) {
      if (part.rows) progress.step(`db/${part.spec.name}: ${part.rows} rows`);
      await blocks.begin(tablePart(part.spec.name), part.size, mtime, false);
      for await (const chunk of tableBytes(snapshot, part, spool)) {
        await blocks.write(chunk);
        advance(chunk.length);
      }
      await blocks.end();
      tables.push({
        name: part.spec.name,
        rows: part.rows,
        columns: part.names,
        size: part.size,
        sha256: part.sha256,
      });
    }
    spool?.remove();
    if (ready) await copyFiles(files);
    else {
      // Listed again now that the snapshot is complete: every object a row of it names was
      // stored before the row was committed, so it is in this listing (uploads made while the
      // snapshot was taken); one listed first and gone since is left in (a restore's sweep removes it).
      const later: ObjectInfo[] = [];
      for await (const info of source.store.list()) if (!written.has(info.key)) later.push(info);
      total += later.reduce((n, f) => n + f.size, 0);
      await copyFiles(later);
    }
    progress.step(`files: ${fileSums.length} written`);
    const keys: Manifest['keys'] = [];
    for (const [part, content] of [
      [MASTER_KEY_PART, source.masterKey],
      [RETIRED_KEYS_PART, source.retiredKeys],
    ] as const) {
      if (!content) continue;
      await blocks.begin(part, content.length, mtime, false);
      await blocks.write(content);
      await blocks.end();
      keys.push({ part, size: content.length, sha256: sha256Hex(content) });
    }
    // The hashing thread answers the sums of the parts it has seen: what the block holds goes to it.
    await blocks.flush();
    const db = await database;
    const m: Manifest = {
      format: 'clinicbox-backup',
      // A backup without a database file reads as format 1 did, one with the database file first
      // as format 2 did: Clinicbox versions that know only those restore them.
      formatVersion: db ? (filesFirst ? FORMAT_VERSION : 2) : 1,
      clinicboxVersion: source.clinicboxVersion,
      sourceDialect: snapshot.dialect,
      lastMigration: last,
      createdAt: mtime.toISOString(),
      storage: source.store.location,
      ...(db ? { database: db } : {}),
      tables,
      files: await Promise.all(fileSums),
      keys,
      note: MANIFEST_NOTE,
    };
    const json = Buffer.from(`${JSON.stringify(m, null, 1)}\n`);
    await blocks.begin(MANIFEST_NAME, json.length, mtime, false);
    await blocks.write(json);
    await blocks.end();
    await blocks.finish();
    return m;
  };

  produce().then(resolveManifest, (e) => {
    spool?.remove();
    rejectManifest(e);
    blocks.fail(e);
  });
  const bytes = encrypted(blocks.output());
  return { bytes: endsWithManifest(bytes, manifest), manifest };
}

/** The stream fails unless the manifest was written (the producer ended well). */
async function* endsWithManifest(bytes: AsyncIterable<Uint8Array>, manifest: Promise<Manifest>) {
  yield* bytes;
  await manifest;
}

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A stored object into its part, hashed on the thread: read straight into the archive's blocks
 * when the store reads at offsets (the disk store), else copied from its stream. Answers its
 * SHA-256 (once the thread has seen it), or null when the object is gone since it was listed.
 * The store must give exactly the size it listed.
 */
async function copyObject(
  store: BlobStore,
  blocks: ArchiveBlocks,
  info: ObjectInfo,
  header: Header,
  advance: (n: number) => void,
): Promise<{ sum: Promise<string> } | null> {
  const gave = (n: number) =>
    new BackupError(`files/${info.key}: the store gave ${n} bytes where it listed ${info.size}`);
  if (store.openReader) {
    let reader: PositionalReader;
    try {
      reader = await store.openReader(info.key);
    } catch (e) {
      if ((e as Error).name === 'ObjectNotFoundError') return null;
      throw e;
    }
    try {
      if (reader.size !== info.size) throw gave(reader.size);
      return await readPart(blocks, header, reader, advance);
    } finally {
      await reader.close();
    }
  }
  const body = await getIfThere(store, info.key);
  if (!body) return null;
  const sum = await blocks.begin(header.name, header.size, header.mtime);
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > header.size) {
      body.destroy();
      throw gave(size);
    }
    await blocks.write(chunk);
    advance(chunk.length);
  }
  if (size !== header.size) throw gave(size);
  await blocks.end();
  return sum;
}

/** A part read from `reader` at offsets straight into the blocks; answers its SHA-256 to come. */
async function readPart(
  blocks: ArchiveBlocks,
  header: Header,
  reader: { size: number; read(into: Buffer, position: number): Promise<number> },
  advance: (n: number) => void,
): Promise<{ sum: Promise<string> }> {
  const sum = await blocks.begin(header.name, header.size, header.mtime);
  let at = 0;
  while (blocks.left) {
    const n = await blocks.fill((into) => reader.read(into, at));
    if (!n) throw new BackupError(`${header.name}: it ended after ${at} of ${header.size} bytes`);
    at += n;
    advance(n);
  }
  await blocks.end();
  return sum;
}

/** Fills `into` from `position` on (fewer bytes only at the end of the file). */
async function readFully(handle: FileHandle, into: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < into.length) {
    const { bytesRead } = await handle.read(into, got, into.length - got, position + got);
    if (!bytesRead) break;
    got += bytesRead;
  }
  return got;
}

async function getIfThere(store: BlobStore, key: string): Promise<Readable | null> {
  try {
    return await store.get(key);
  } catch (e) {
    if ((e as Error).name === 'ObjectNotFoundError') return null;
    throw e;
  }
}

type Header = { name: string; size: number; mtime: Date };
