/**
 * Backups: one archive format for both dialects (format.ts), written from a consistent snapshot
 * (write.ts, target.ts), checked and loaded into an empty target (restore.ts).
 */
export {
  type BackupEncryption,
  BackupKeyError,
  type BackupSecret,
  checkRecipients,
  recipientOf,
  recipientsIn,
  secretLines,
  unwrapOnce,
} from './age.ts';
export { type ArchiveSource, BackupTooNewError, checkArchive, matchingMigration } from './check.ts';
export {
  MANIFEST_NAME,
  MASTER_KEY_PART,
  type Manifest,
  RETIRED_KEYS_PART,
  rowLine,
  rowObject,
  type TableSpec,
  tableSpecs,
} from './format.ts';
export { ArchiveDamagedError } from './read.ts';
export {
  type CheckedArchive,
  loadArchive,
  type Restored,
  type RestoreTarget,
  readArchiveOnce,
} from './restore.ts';
export {
  type ArchiveTarget,
  archiveName,
  folderTarget,
  removeStale,
  scratchDatabase,
  storeTarget,
} from './target.ts';
export { BackupError, type BackupProgress, backupStream } from './write.ts';
