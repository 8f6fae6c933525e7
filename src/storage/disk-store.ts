import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, opendir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ObjectNotFoundError } from './errors.ts';
import type { BlobStore, ByteRange, ObjectInfo, PositionalReader } from './types.ts';

/**
 * Objects as files under one folder (`<data-dir>/files` by default), the key's `/` as folders.
 * A put writes a temporary file in `<root>/.tmp`, fsyncs it, renames it into place and fsyncs
 * the folder, so after a crash an object is there whole or not at all. Temporary files left by a
 * process that died are removed by the next process's first put once they are a day old. Names
 * starting with `.` are never objects (keys cannot start a segment with one), so `list` skips them.
 */

const TMP_DIR = '.tmp';
/** Reads in 1 MiB (four vault chunks): fewer calls into the thread pool. */
const READ_BYTES = 1024 * 1024;
/** Writes gather the stream's pieces up to 1 MiB (or 256 pieces) into one writev. */
const WRITE_BYTES = 1024 * 1024;
const WRITE_PIECES = 256;
const STALE_TMP_MS = 24 * 60 * 60 * 1000;
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** Throws unless `key` is a safe relative path: `a/b.c`, no empty, `.`-led or `..` segments. */
export function assertObjectKey(key: string): void {
  if (key.length > 1024 || !key.split('/').every((segment) => KEY_SEGMENT.test(segment))) {
    throw new Error(`invalid object key ${JSON.stringify(key.slice(0, 100))}`);
  }
}

export function openDiskStore(root: string): BlobStore {
  const pathOf = (key: string) => {
    assertObjectKey(key);
    return join(root, ...key.split('/'));
  };
  let tmpReady: Promise<void> | undefined;
  const tmpDir = join(root, TMP_DIR);

  return {
    location: `file:${root}`,

    async put(key, body) {
      const target = pathOf(key);
      tmpReady ??= prepareTmpDir(tmpDir).catch((e) => {
        tmpReady = undefined;
        throw e;
      });
      await tmpReady;
      const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
      const file = await open(tmp, 'wx', 0o600);
      let size = 0;
      try {
        try {
          let batch: Buffer[] = [];
          let batched = 0;
          for await (const chunk of body as AsyncIterable<Buffer | string>) {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            batch.push(bytes);
            batched += bytes.length;
            if (batched >= WRITE_BYTES || batch.length >= WRITE_PIECES) {
              await writeAll(file, batch, batched);
              size += batched;
              batch = [];
              batched = 0;
            }
          }
          await writeAll(file, batch, batched);
          size += batched;
          await file.sync();
        } finally {
          await file.close();
        }
        const folder = dirname(target);
        const created = await mkdir(folder, { recursive: true, mode: 0o700 });
        await rename(tmp, target);
        // The new name is durable once its folder is synced, and a folder made for it once its parent is.
        await syncUp(folder, created ? dirname(created) : folder);
        return { size };
      } catch (e) {
        await rm(tmp, { force: true }).catch(() => {});
        throw e;
      }
    },

    async get(key, range) {
      const path = pathOf(key);
      let file: FileHandle;
      try {
        file = await open(path, 'r');
      } catch (e) {
        throw isMissing(e) ? new ObjectNotFoundError(key) : e;
      }
      return file.createReadStream({ ...streamRange(range), highWaterMark: READ_BYTES });
    },

    async openReader(key) {
      let file: FileHandle;
      try {
        file = await open(pathOf(key), 'r');
      } catch (e) {
        throw isMissing(e) ? new ObjectNotFoundError(key) : e;
      }
      try {
        return positionalReader(file, (await file.stat()).size);
      } catch (e) {
        await file.close();
        throw e;
      }
    },

    async head(key) {
      try {
        const s = await stat(pathOf(key));
        return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime } : null;
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    list(prefix = '') {
      // Start in the deepest folder the prefix names whole; filter the rest by the full prefix.
      const cut = prefix.lastIndexOf('/');
      const folder = cut < 0 ? '' : prefix.slice(0, cut);
      if (folder) assertObjectKey(folder);
      return walk(root, folder ? join(root, ...folder.split('/')) : root, prefix);
    },
  };
}

async function* walk(root: string, dir: string, prefix: string): AsyncGenerator<ObjectInfo> {
  let entries: Awaited<ReturnType<typeof opendir>>;
  try {
    entries = await opendir(dir);
  } catch (e) {
    if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    throw e;
  }
  for await (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const key = relative(root, path).split(sep).join('/');
    if (entry.isDirectory()) {
      // A folder can hold matches when the prefix starts with it or it starts with the prefix.
      if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* walk(root, path, prefix);
    } else if (entry.isFile() && key.startsWith(prefix)) {
      const s = await stat(path).catch((e) => (isMissing(e) ? null : Promise.reject(e)));
      if (s) yield { key, size: s.size, modifiedAt: s.mtime };
    }
  }
}

async function prepareTmpDir(tmpDir: string): Promise<void> {
  const created = await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  if (created) await syncUp(dirname(tmpDir), dirname(created));
  const now = Date.now();
  for (const name of await readdir(tmpDir)) {
    const path = join(tmpDir, name);
    const s = await stat(path).catch(() => null);
    if (s && now - s.mtimeMs > STALE_TMP_MS) await rm(path, { force: true }).catch(() => {});
  }
}

/** Writes every byte of `pieces` (`total` of them), in one writev unless it comes back short. */
async function writeAll(file: FileHandle, pieces: Buffer[], total: number): Promise<void> {
  const left = pieces;
  while (total > 0) {
    const { bytesWritten } = await file.writev(left);
    total -= bytesWritten;
    let skip = bytesWritten;
    while (skip > 0 && skip >= left[0]!.length) skip -= left.shift()!.length;
    if (skip > 0) left[0] = left[0]!.subarray(skip);
  }
}

function positionalReader(file: FileHandle, size: number): PositionalReader {
  let closed: Promise<void> | undefined;
  return {
    size,
    async read(into, position) {
      let got = 0;
      while (got < into.length) {
        const { bytesRead } = await file.read(into, got, into.length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    },
    close: () => (closed ??= file.close()),
  };
}

/** Syncs `from` and each folder above it up to `to` (inclusive). */
async function syncUp(from: string, to: string): Promise<void> {
  for (let dir = from; ; dir = dirname(dir)) {
    await syncDir(dir);
    if (dir === to || dir === dirname(dir) || !dir.startsWith(to)) break;
  }
}

/** fsync of a folder (its entries); Windows cannot open a folder for that and needs none. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function streamRange(range: ByteRange | undefined): { start?: number; end?: number } {
  if (!range) return {};
  return range.end === undefined ? { start: range.start } : { start: range.start, end: range.end };
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';
