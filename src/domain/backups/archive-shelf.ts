import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ArchiveTarget, folderTarget, storeTarget } from '../../backup/index.ts';
import type { Config } from '../../config/index.ts';
import { openBlobStore } from '../../storage/index.ts';

/** The names Clinicbox gives its archives (`archiveName`): the only files retention may delete. */
export const ARCHIVE_NAME = /^clinicbox-(\d{8}T\d{6}Z)\.tar\.age$/;

/** When an archive Clinicbox named was made, from its name; null for any other name. */
export function archiveTime(name: string): Date | null {
  const m = ARCHIVE_NAME.exec(name);
  if (!m) return null;
  const s = m[1]!;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Where scheduled backups are kept: a folder or an S3 prefix. Writes through the backup module's
 * targets (nothing with the final name exists before the whole archive does), lists the archives
 * Clinicbox named there (nothing else), and deletes one of them.
 */
export interface ArchiveShelf {
  /** For messages and the page: the folder, or s3://bucket/prefix (never a secret). */
  readonly location: string;
  readonly target: ArchiveTarget;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
  close(): Promise<void>;
}

export function openArchiveShelf(to: string, config: Config): ArchiveShelf {
  if (to.startsWith('s3://')) {
    const store = openBlobStore({ ...config, storageUrl: to });
    return {
      location: to,
      target: storeTarget(store),
      async list() {
        const names: string[] = [];
        for await (const o of store.list()) if (ARCHIVE_NAME.test(o.key)) names.push(o.key);
        return names;
      },
      async remove(name) {
        if (!ARCHIVE_NAME.test(name)) throw new Error(`not an archive Clinicbox named: ${name}`);
        await store.delete(name);
      },
      async close() {
        await store.close?.();
      },
    };
  }
  const dir = resolve(to);
  return {
    location: dir,
    target: folderTarget(dir),
    async list() {
      try {
        return readdirSync(dir).filter((n) => ARCHIVE_NAME.test(n));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
    async remove(name) {
      if (!ARCHIVE_NAME.test(name)) throw new Error(`not an archive Clinicbox named: ${name}`);
      rmSync(join(dir, name), { force: true });
    },
    async close() {},
  };
}
