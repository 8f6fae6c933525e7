import { existsSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { createApp, version } from '../app.ts';
import {
  type ArchiveTarget,
  archiveName,
  BackupError,
  BackupKeyError,
  backupStream,
  folderTarget,
  scratchDatabase,
  storeTarget,
} from '../backup/index.ts';
import { configFrom, dataOptions, storageOptions, textOption } from '../config/index.ts';
import { migrationsFor } from '../db/migrate.ts';
import { openSnapshot } from '../db/snapshot.ts';
import { findMasterKey, MASTER_KEY_ENV, MasterKeyError } from '../lib/crypto.ts';
import { retiredKeysPath } from '../lib/keyring.ts';
import { openBlobStore } from '../storage/index.ts';
import { encryptionFrom, progressReporter, secretOptions } from './backup-options.ts';
import { defineCommand, runAs } from './command.ts';
import { verifyBackup } from './restore.ts';

const usage =
  'clinicbox backup [--to DIR|s3://bucket/prefix] (--passphrase-file F | --recipient age1…) [flags] | clinicbox backup verify FILE (--passphrase-file F | --identity-file F)';

/**
 * `clinicbox backup`: one encrypted archive (age over tar) of a consistent snapshot of the
 * database, every stored file and the master key, while Clinicbox keeps serving.
 * `backup verify FILE`: restores it into a temporary folder and checks everything there.
 */
export const backupCommand = defineCommand({
  name: 'backup',
  usage,
  summary:
    'Write one encrypted archive (age + tar: database snapshot, files, master key, manifest) while Clinicbox serves; or check one (verify FILE).',
  options: {
    ...dataOptions,
    ...storageOptions,
    to: textOption(
      'to',
      'dir|url',
      'a folder path or s3://bucket/prefix',
      'Where to write the archive (empty = <data-dir>/backups); s3:// uses the --s3-* settings.',
    ),
    ...secretOptions,
  },
  async run(values, positionals, ctx) {
    if (positionals[0] === 'verify') {
      if (positionals.length !== 2) {
        ctx.err(`usage: ${usage}`);
        return 2;
      }
      return verifyBackup(positionals[1]!, values, ctx);
    }
    if (positionals.length) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const encryption = encryptionFrom(values);
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    let master: ReturnType<typeof findMasterKey>;
    try {
      master = findMasterKey({ file: config.masterKeyFile, dataPath: config.dataPath, env: ctx.env });
    } catch (e) {
      if (e instanceof MasterKeyError) {
        ctx.err(e.message);
        return 1;
      }
      throw e;
    }
    if (!master) {
      ctx.err(
        `no master key in ${config.dataPath} and none given: is this the clinic's data folder? (${runAs(ctx)} serve makes one at first start)`,
      );
      return 1;
    }
    if (config.databaseUrl === '' && !existsSync(config.sqlitePath)) {
      ctx.err(`no database at ${config.sqlitePath}: nothing to back up`);
      return 1;
    }
    const masterKey = master.path
      ? readFileSync(master.path)
      : Buffer.from(`${ctx.env[MASTER_KEY_ENV]?.trim()}\n`);
    const retiredPath = master.path ? retiredKeysPath(master.path) : null;
    const retiredKeys = retiredPath && existsSync(retiredPath) ? readFileSync(retiredPath) : null;

    const target = targetOf(values.to || join(config.dataPath, 'backups'), config);
    const store = openBlobStore(config);
    const started = Date.now();
    // The clinic's own services, beside a running server: to chain the audit rows committed a
    // moment ago before the snapshot takes them, and to record the backup for the Backups page
    // and the 48-hour warning. A database this version cannot use is the snapshot's to refuse.
    const app = await createApp(config, { worker: false, command: 'backup' });
    await app.deps.audit.seal().catch(() => {});
    const progress = progressReporter(ctx.out, process.stderr.isTTY === true);
    progress.step('taking a snapshot of the database');
    // Background work: the clinic's own requests come first when they compete for the CPU
    // (niceness 10, or the process's own if lower; below normal on Windows).
    try {
      setPriority(Math.max(getPriority(), 10));
    } catch {
      // not allowed here: run as it is
    }
    const scratch = scratchDatabase(config.dataPath, 'backup-snapshot');
    // SQLite: the snapshot is made on a thread of its own while the files go into the archive
    // (backupStream); PostgreSQL: its transaction is opened first.
    const snapshotting = openSnapshot({
      url: config.databaseUrl,
      sqlitePath: config.sqlitePath,
      tempPath: scratch.path,
    });
    snapshotting.catch(() => {});
    if (config.databaseUrl !== '') {
      await snapshotting.catch(async (e) => {
        await app.stop(0);
        throw e;
      });
    }
    try {
      const now = new Date();
      const { bytes, manifest } = await backupStream(
        {
          snapshot: config.databaseUrl === '' ? snapshotting : await snapshotting,
          store,
          masterKey,
          retiredKeys,
          knownMigrations: migrationsFor({ dialect: config.databaseUrl === '' ? 'sqlite' : 'postgres' }).map(
            (m) => m.name,
          ),
          clinicboxVersion: version,
          now: () => now,
          spoolPath: scratch.spool,
        },
        encryption,
        progress,
      );
      const name = archiveName(now);
      const written = await target.write(name, bytes);
      const m = await manifest;
      progress.end();
      await app.deps.backups.recordCommandBackup({
        target: target.location,
        archive: name,
        size: written.size,
        startedAt: new Date(started),
        durationMs: Date.now() - started,
      });
      const rows = m.tables.reduce((n, t) => n + t.rows, 0);
      ctx.out(
        `backup written: ${written.where} (${mb(written.size)}; ${rows} rows in ${m.tables.length} tables, ${m.files.length} files, the master key) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      ctx.out(
        `check it with: ${runAs(ctx)} backup verify ${written.where} ${encryption.kind === 'passphrase' ? '--passphrase-file FILE' : '--identity-file FILE'}`,
      );
      return 0;
    } catch (e) {
      progress.end();
      if (e instanceof BackupError || e instanceof BackupKeyError || (e as NodeJS.ErrnoException).code) {
        ctx.err(`backup failed: ${(e as Error).message}`);
        return 1;
      }
      throw e;
    } finally {
      await (await snapshotting.catch(() => null))?.close();
      await store.close?.();
      await app.stop(0);
    }
  },
});

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

function targetOf(to: string, config: Parameters<typeof openBlobStore>[0]): ArchiveTarget {
  if (to.startsWith('s3://')) return storeTarget(openBlobStore({ ...config, storageUrl: to }));
  return folderTarget(to);
}
