import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { DbSnapshot } from '../db/snapshot.ts';
import type { BlobStore, ObjectInfo } from '../storage/index.ts';
import { type BackupEncryption, encryptStream } from './age.ts';
import {
  FORMAT_VERSION,
  filePart,
  MANIFEST_NAME,
  MANIFEST_NOTE,
  MASTER_KEY_PART,
  type Manifest,
  type PartSum,
  RETIRED_KEYS_PART,
  rowLine,
  type TableSpec,
  tablePart,
  tableSpecs,
} from './format.ts';

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
}

export class BackupError extends Error {
  override name = 'BackupError';
}

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

  // First pass (same snapshot, same order): each table part's size, hash and rows, so its tar
  // header can be written before its bytes are streamed — nothing is ever held whole.
  progress.step(`reading the database snapshot (${specs.length} tables)`);
  const measured = new Map<string, PartSum & { rows: number }>();
  for (const spec of specs) measured.set(spec.name, await measureTable(snapshot, spec));
  const files: ObjectInfo[] = [];
  for await (const info of source.store.list()) files.push(info);
  const total =
    [...measured.values()].reduce((n, m) => n + m.size, 0) + files.reduce((n, f) => n + f.size, 0);
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
    const tables: Manifest['tables'] = [];
    for (const spec of specs) {
      const expected = measured.get(spec.name)!;
      if (expected.rows) progress.step(`db/${spec.name}: ${expected.rows} rows`);
      const names = [...spec.columns.keys()];
      const hash = createHash('sha256');
      let size = 0;
      await writeEntry(pack, { name: tablePart(spec.name), size: expected.size, mtime }, async (write) => {
        for await (const batch of snapshot.rows(spec.name, names, spec.primaryKey)) {
          const chunk = Buffer.from(batch.map((row) => rowLine(spec, names, row)).join(''));
          hash.update(chunk);
          size += chunk.length;
          if (size > expected.size) break;
          await write(chunk);
          advance(chunk.length);
        }
      });
      const sha256 = hash.digest('hex');
      if (size !== expected.size || sha256 !== expected.sha256) {
        throw new BackupError(`db/${spec.name} read differently twice from one snapshot`);
      }
      tables.push({ name: spec.name, rows: expected.rows, columns: names, size, sha256 });
    }
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
      const hash = createHash('sha256');
      let size = 0;
      await writeEntry(
        pack,
        { name: filePart(info.key), size: info.size, mtime: info.modifiedAt },
        async (write) => {
          for await (const piece of body) {
            const chunk = piece as Buffer;
            size += chunk.length;
            if (size > info.size) break;
            hash.update(chunk);
            await write(chunk);
            advance(chunk.length);
          }
        },
      );
      if (size !== info.size) {
        throw new BackupError(`files/${info.key}: the store gave ${size} bytes where it listed ${info.size}`);
      }
      fileSums.push({ key: info.key, size, sha256: hash.digest('hex') });
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
      formatVersion: FORMAT_VERSION,
      clinicboxVersion: source.clinicboxVersion,
      sourceDialect: snapshot.dialect,
      lastMigration: last,
      createdAt: mtime.toISOString(),
      storage: source.store.location,
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

async function measureTable(snapshot: DbSnapshot, spec: TableSpec): Promise<PartSum & { rows: number }> {
  const names = [...spec.columns.keys()];
  const hash = createHash('sha256');
  let size = 0;
  let rows = 0;
  for await (const batch of snapshot.rows(spec.name, names, spec.primaryKey)) {
    const chunk = Buffer.from(batch.map((row) => rowLine(spec, names, row)).join(''));
    hash.update(chunk);
    size += chunk.length;
    rows += batch.length;
  }
  return { size, rows, sha256: hash.digest('hex') };
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
