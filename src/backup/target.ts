import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { syncFolder } from '../lib/durable-file.ts';
import type { BlobStore } from '../storage/index.ts';
import { writeSynced } from './synced-write.ts';

/**
 * Where an archive is written, so that nothing with the final name exists until the whole archive
 * does: in a folder, a hidden `.NAME.partial-…` file, fsynced, renamed, the folder fsynced; on
 * S3, the final key only becomes an object when the upload completes (PutObject or
 * CompleteMultipartUpload after the last byte), and a killed run leaves at most an unfinished
 * multipart upload that no listing shows as an object.
 */
export interface ArchiveTarget {
  readonly location: string;
  /** `bytes`' pieces are valid until the next is asked for (their buffers are filled again). */
  write(name: string, bytes: AsyncIterable<Uint8Array>): Promise<{ where: string; size: number }>;
}

export const archiveName = (at: Date) =>
  `clinicbox-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.tar.age`;

export function folderTarget(dir: string): ArchiveTarget {
  return {
    location: dir,
    async write(name, bytes) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      removeStale(dir, /^\.clinicbox-.*\.partial-(\d+)-[0-9a-f]+$/);
      const final = join(dir, name);
      const temp = join(dir, `.${name}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
      const file = await open(temp, 'wx', 0o600);
      let size: number;
      try {
        size = await writeSynced(file, bytes);
      } catch (e) {
        await file.close();
        rmSync(temp, { force: true });
        throw e;
      }
      await file.close();
      renameSync(temp, final);
      syncFolder(dirname(final));
      return { where: final, size };
    },
  };
}

export function storeTarget(store: BlobStore): ArchiveTarget {
  return {
    location: store.location,
    async write(name, bytes) {
      let size = 0;
      async function* counted() {
        for await (const chunk of bytes) {
          size += chunk.length;
          // A copy: the upload holds pieces until it has a part's worth.
          yield Buffer.from(chunk);
        }
      }
      await store.put(basename(name), Readable.from(counted()));
      return { where: `${store.location.replace(/\/$/, '')}/${name}`, size };
    },
  };
}

/**
 * This process's scratch database in `dir` (`.<kind>-<pid>.db`, beside the live one: plaintext,
 * with the same protection) and its spool file, once what a killed run of the same kind left there
 * (the database, its journals, its spool) is removed.
 */
export function scratchDatabase(
  dir: string,
  kind: 'backup-snapshot' | 'export-snapshot' | 'restore',
): { path: string; spool: string } {
  removeStale(dir, new RegExp(`^\\.${kind}-(\\d+)\\.db(-wal|-shm|-journal|-spool)?$`));
  const path = join(dir, `.${kind}-${process.pid}.db`);
  return { path, spool: `${path}-spool` };
}

/**
 * Removes what a killed backup left in `dir` (files whose name matches `pattern`, the first group
 * being the process id that made them) when that process is gone.
 */
export function removeStale(dir: string, pattern: RegExp): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
