import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import packageJson from '../../../package.json' with { type: 'json' };
import { archiveName, type BackupEncryption, backupStream, scratchDatabase } from '../../backup/index.ts';
import type { Config } from '../../config/index.ts';
import type { Db } from '../../db/client.ts';
import { migrationsFor } from '../../db/migrate.ts';
import { openSnapshot } from '../../db/snapshot.ts';
import type { Clock } from '../../lib/clock.ts';
import { findMasterKey, MASTER_KEY_ENV } from '../../lib/crypto.ts';
import { retiredKeysPath } from '../../lib/keyring.ts';
import type { BlobStore } from '../../storage/index.ts';
import type { ArchiveShelf } from './archive-shelf.ts';

export interface WrittenArchive {
  name: string;
  size: number;
  tables: number;
  rows: number;
  files: number;
}

/** What writing an archive reads: the database as configured, the stored files, the master key. */
export interface ArchiveSources {
  config: Config;
  db: Db;
  clock: Clock;
  /** The clinic's stored files (the documents), as they are kept: encrypted. */
  store: BlobStore;
}

/**
 * One archive, as `clinicbox backup` writes it (the backup module's format, snapshot and target):
 * a consistent snapshot of the database (SQLite: `VACUUM INTO` a file beside the live one;
 * PostgreSQL: one repeatable-read transaction on a connection of its own), every stored file and
 * the master key, encrypted with age, written under a temporary name and renamed when complete.
 */
export async function writeArchive(
  sources: ArchiveSources,
  shelf: ArchiveShelf,
  encryption: BackupEncryption,
): Promise<WrittenArchive> {
  const { config, db } = sources;
  const master = findMasterKey({ file: config.masterKeyFile, dataPath: config.dataPath });
  if (!master) throw new Error(`no master key in ${config.dataPath} and none given`);
  const masterKey = master.path
    ? readFileSync(master.path)
    : Buffer.from(`${process.env[MASTER_KEY_ENV]?.trim()}\n`);
  const retiredPath = master.path ? retiredKeysPath(master.path) : null;
  const retiredKeys = retiredPath && existsSync(retiredPath) ? readFileSync(retiredPath) : null;

  if (db.dialect === 'postgres' && !config.databaseUrl) throw new Error('no --database-url to snapshot');
  // The database this process has open (the data folder's, unless a test opened another).
  const sqlitePath = db.dialect === 'sqlite' ? db.location : config.sqlitePath;
  const folder = dirname(sqlitePath);
  const scratch = scratchDatabase(folder, 'backup-snapshot');
  const snapshot = await openSnapshot({
    url: db.dialect === 'postgres' ? config.databaseUrl : '',
    sqlitePath,
    tempPath: scratch.path,
  });
  try {
    const now = sources.clock.now();
    const { bytes, manifest } = await backupStream(
      {
        snapshot,
        store: sources.store,
        masterKey,
        retiredKeys,
        knownMigrations: migrationsFor({ dialect: snapshot.dialect }).map((m) => m.name),
        clinicboxVersion: packageJson.version,
        now: () => now,
        // Large tables are encoded once into this owner-only file, instead of read twice.
        spoolPath: scratch.spool,
      },
      encryption,
      { step: () => {}, bytes: () => {} },
    );
    // Awaited below once the bytes are written; a failed write must not leave it unhandled.
    manifest.catch(() => {});
    const name = archiveName(now);
    const written = await shelf.target.write(name, bytes);
    const m = await manifest;
    return {
      name,
      size: written.size,
      tables: m.tables.length,
      rows: m.tables.reduce((n, t) => n + t.rows, 0),
      files: m.files.length,
    };
  } finally {
    await snapshot.close();
  }
}
