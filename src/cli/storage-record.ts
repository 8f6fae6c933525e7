import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import { findSettingValue, insertSettingIfMissing, upsertSetting } from '../domain/clinic/index.ts';
import { diskRoot } from '../storage/index.ts';

/**
 * Which store the clinic's documents are in, recorded in the settings table (key `storage`):
 * the first time Clinicbox runs with a store, and by `clinicbox storage migrate` when it switches.
 * Every instance that reads or writes files (serve, worker, storage) checks its `--storage-url`
 * against it at start, so an instance pointed at another store (a forgotten flag after a
 * migration, one of several servers left on the old bucket) refuses instead of writing documents
 * where the others will never look.
 */
export interface StorageRecord {
  /** The `--storage-url` as given (`file:` stays relative to the data folder). */
  url: string;
  /** When it became the clinic's store (ISO). */
  since: string;
  /** The store the documents were migrated from, when a migration recorded it. */
  from?: string;
}

const KEY = 'storage';

export async function readStorageRecord(db: Db): Promise<StorageRecord | null> {
  const value = await findSettingValue<StorageRecord>(db.reader, KEY);
  return value && typeof value.url === 'string' ? value : null;
}

/** Records `url` as the clinic's store (after a migration). */
export async function recordStorage(db: Db, url: string, now: Date, from: string): Promise<void> {
  const record: StorageRecord = { url, since: now.toISOString(), from };
  await db.tx((ctx) => upsertSetting(ctx, KEY, record, now));
}

/**
 * Where a storage URL points, in one spelling, for comparing two of them: a `file:` URL as its
 * absolute folder (`file:` alone is the data folder's `files`); an S3 URL without trailing slashes.
 */
export function storageLocation(url: string, dataPath: string): string {
  return url.startsWith('file:') ? `file:${diskRoot(url, dataPath)}` : url.replace(/\/+$/, '');
}

export const sameStorage = (a: string, b: string, dataPath: string): boolean =>
  storageLocation(a, dataPath) === storageLocation(b, dataPath);

/**
 * Null when `--storage-url` is the recorded store (recording it when none is yet: the first
 * start); else why this instance must not start, and what to run instead.
 */
export async function storageUrlProblem(
  db: Db,
  config: Pick<Config, 'storageUrl' | 'dataPath'>,
  now: Date,
): Promise<string | null> {
  let record = await readStorageRecord(db);
  if (!record) {
    const first: StorageRecord = { url: config.storageUrl, since: now.toISOString() };
    await db.tx((ctx) => insertSettingIfMissing(ctx, KEY, first, now));
    record = await readStorageRecord(db);
  }
  if (!record || sameStorage(record.url, config.storageUrl, config.dataPath)) return null;
  const recorded = storageLocation(record.url, config.dataPath);
  const given = storageLocation(config.storageUrl, config.dataPath);
  return [
    `--storage-url ${config.storageUrl} (${given}) is not where this clinic's documents are:`,
    `they are in ${record.url}${recorded === record.url ? '' : ` (${recorded})`}, recorded ${record.since.slice(0, 10)}${record.from ? ` when they were migrated from ${record.from}` : ''}.`,
    `Start with --storage-url ${record.url}, or move the documents first: clinicbox storage migrate --storage-url ${record.url} --to ${config.storageUrl}`,
  ].join('\n');
}
