import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { DbSnapshot } from '../db/snapshot.ts';
import type { BlobStore, ObjectInfo } from '../storage/index.ts';
import { type BackupEncryption, encryptStream } from './age.ts';
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
  type PartSum,
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
  snapshot: DbSnapshot;
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

/** The encrypted archive as a stream of bytes, and the manifest once the stream has ended. */
export async function backupStream(
  source: BackupSource,
  encryption: BackupEncryption,
  progress: BackupProgress,
): Promise<{ bytes: AsyncIterable<Uint8Array>; manifest: Promise<Manifest> }> {
  const { snapshot } = source;
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

  // SQLite: the snapshot's file is the database part, copied whole (the manifest counts the rows).
  // PostgreSQL: one pass over the snapshot: each table part encoded once, its size (for its tar
  // header), hash and rows known before its bytes are written; small parts are held in memory,
  // large ones in the spool file (or, with none, read again).
  const file = snapshot.file ? { path: snapshot.file, size: statSync(snapshot.file).size } : null;
  progress.step(`reading the database snapshot (${specs.length} tables)`);
  const spool = !file && source.spoolPath ? new Spool(source.spoolPath) : null;
  const parts: TablePart[] = [];
  const counted: ManifestTable[] = [];
  const files: ObjectInfo[] = [];
  try {
    for (const spec of specs) {
      if (file) {
        counted.push({
          name: spec.name,
          rows: await snapshot.rowCount(spec.name),
          columns: [...spec.columns.keys()],
        });
      } else parts.push(await encodeTable(snapshot, spec, spool));
    }
    for await (const info of source.store.list()) files.push(info);
  } catch (e) {
    spool?.remove();
    throw e;
  }
  const total =
    (file?.size ?? 0) + parts.reduce((n, m) => n + m.size, 0) + files.reduce((n, f) => n + f.size, 0);
  progress.step(`${files.length} stored files in ${source.store.location}`);

  const pack = tar.pack();
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
    const tables: Manifest['tables'] = counted;
    let database: Manifest['database'];
    if (file) {
      const rows = counted.reduce((n, t) => n + t.rows, 0);
      progress.step(`${DATABASE_PART}: ${rows} rows in ${counted.length} tables`);
      const body = createReadStream(file.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
      const sum = await copyPart(pack, { name: DATABASE_PART, size: file.size, mtime }, body, advance);
      if (sum.size !== file.size) {
        throw new BackupError(`${DATABASE_PART}: the snapshot file changed size while it was read`);
      }
      database = { part: DATABASE_PART, ...sum };
    }
    for (const part of parts) {
      if (part.rows) progress.step(`db/${part.spec.name}: ${part.rows} rows`);
      await writeEntry(pack, { name: tablePart(part.spec.name), size: part.size, mtime }, async (write) => {
        for await (const chunk of tableBytes(snapshot, part, spool)) {
          await write(chunk);
          advance(chunk.length);
        }
      });
      tables.push({
        name: part.spec.name,
        rows: part.rows,
        columns: part.names,
        size: part.size,
        sha256: part.sha256,
      });
    }
    spool?.remove();
    const fileSums: Manifest['files'] = [];
    let fileNo = 0;
    for (const info of files) {
      fileNo++;
      const body = await getIfThere(source.store, info.key);
      if (!body) {
        progress.step(`files/${info.key}: removed since it was listed, left out`);
        continue;
      }
      if (fileNo === 1 || fileNo === files.length || fileNo % 100 === 0) {
        progress.step(`files: ${fileNo} of ${files.length}`);
      }
      const header = { name: filePart(info.key), size: info.size, mtime: info.modifiedAt };
      const sum = await copyPart(pack, header, body as AsyncIterable<Buffer>, advance);
      if (sum.size !== info.size) {
        throw new BackupError(
          `files/${info.key}: the store gave ${sum.size} bytes where it listed ${info.size}`,
        );
      }
      fileSums.push({ key: info.key, ...sum });
    }
    const keys: Manifest['keys'] = [];
    for (const [part, content] of [
      [MASTER_KEY_PART, source.masterKey],
      [RETIRED_KEYS_PART, source.retiredKeys],
    ] as const) {
      if (!content) continue;
      await writeBuffer(pack, { name: part, size: content.length, mtime }, content);
      keys.push({ part, size: content.length, sha256: sha256Hex(content) });
    }
    const m: Manifest = {
      format: 'clinicbox-backup',
      // A backup without a database file reads as format 1 did: the previous Clinicbox restores it.
      formatVersion: database ? FORMAT_VERSION : 1,
      clinicboxVersion: source.clinicboxVersion,
      sourceDialect: snapshot.dialect,
      lastMigration: last,
      createdAt: mtime.toISOString(),
      storage: source.store.location,
      ...(database ? { database } : {}),
      tables,
      files: fileSums,
      keys,
      note: MANIFEST_NOTE,
    };
    const json = Buffer.from(`${JSON.stringify(m, null, 1)}\n`);
    await writeBuffer(pack, { name: MANIFEST_NAME, size: json.length, mtime }, json);
    pack.finalize();
    return m;
  };

  produce().then(resolveManifest, (e) => {
    spool?.remove();
    rejectManifest(e);
    pack.destroy(e);
  });
  const bytes = await encryptStream(pack as unknown as AsyncIterable<Uint8Array>, encryption);
  return { bytes: endsWithManifest(bytes, manifest), manifest };
}

/** The stream fails unless the manifest was written (the producer ended well). */
async function* endsWithManifest(bytes: AsyncIterable<Uint8Array>, manifest: Promise<Manifest>) {
  yield* bytes;
  await manifest;
}

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function getIfThere(store: BlobStore, key: string): Promise<Readable | null> {
  try {
    return await store.get(key);
  } catch (e) {
    if ((e as Error).name === 'ObjectNotFoundError') return null;
    throw e;
  }
}

type Header = { name: string; size: number; mtime: Date };

/**
 * One part copied into its tar entry, hashed as it goes: answers the size and SHA-256 of what was
 * written (never more than the header's size: the caller compares the size it answers).
 */
async function copyPart(
  pack: tar.Pack,
  header: Header,
  body: AsyncIterable<Buffer>,
  advance: (n: number) => void,
): Promise<PartSum> {
  const hash = createHash('sha256');
  let size = 0;
  await writeEntry(pack, header, async (write) => {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > header.size) break;
      hash.update(chunk);
      await write(chunk);
      advance(chunk.length);
    }
  });
  return { size, sha256: hash.digest('hex') };
}

/** One tar entry whose bytes `fill` writes (with backpressure); resolves once the entry is done. */
function writeEntry(
  pack: tar.Pack,
  header: Header,
  fill: (write: (chunk: Buffer) => Promise<void>) => Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ ...header, mode: 0o600, type: 'file' }, (err) =>
      err ? reject(err) : resolve(),
    );
    let failed: Error | null = null;
    entry.on('error', (e: Error) => {
      failed = e;
    });
    const write = (chunk: Buffer) =>
      new Promise<void>((res, rej) => {
        if (failed) return rej(failed);
        if (entry.write(chunk)) return res();
        const onDrain = () => {
          entry.off('close', onClose);
          res();
        };
        const onClose = () => {
          entry.off('drain', onDrain);
          rej(failed ?? new BackupError('the archive stream was closed'));
        };
        entry.once('drain', onDrain);
        entry.once('close', onClose);
      });
    fill(write).then(
      () => (entry as unknown as { end(): void }).end(),
      (e) => {
        entry.destroy(e);
        reject(e);
      },
    );
  });
}

function writeBuffer(pack: tar.Pack, header: Header, content: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    pack.entry({ ...header, mode: 0o600, type: 'file' }, content, (err) => (err ? reject(err) : resolve()));
  });
}
