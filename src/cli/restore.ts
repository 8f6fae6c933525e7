import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  ArchiveDamagedError,
  BackupKeyError,
  type BackupSecret,
  BackupTooNewError,
  type CheckedArchive,
  checkArchive,
  loadArchive,
  type Manifest,
  type Restored,
  readArchiveOnce,
  scratchDatabase,
  unwrapOnce,
} from '../backup/index.ts';
import { type Config, configFrom, dataOptions, ensureDataDir, storageOptions } from '../config/index.ts';
import { type Db, execute, queryRows } from '../db/client.ts';
import { migrate, migrationsFor } from '../db/migrate.ts';
import { systemActor } from '../domain/audit/index.ts';
import { MASTER_KEY_ENV, MasterKeyError } from '../lib/crypto.ts';
import { openBlobStore } from '../storage/index.ts';
import { progressReporter, secretFrom, secretOptions } from './backup-options.ts';
import { type CommandContext, defineCommand } from './command.ts';
import { archiveAt, restoreTarget, targetProblem, writeKeys } from './restore-target.ts';
import { openAppForCommand } from './start.ts';
import { readStorageRecord, recordStorage, sameStorage } from './storage-record.ts';

const usage =
  'clinicbox restore FILE --data-dir NEW [--database-url postgres://…] (--passphrase-file F | --identity-file F)';

/**
 * `clinicbox restore FILE`: into an empty target only. Every part is checked against the manifest
 * before the restore goes on: a backup from SQLite is read once, its parts written as they are
 * hashed and removed again when the manifest refuses them; one with a part per table is read
 * whole first, nothing written. Then the database goes in (the file itself, or its rows into the
 * schema migrated up to the backup's last migration), newer migrations are applied, the master
 * key written, and the database, the audit chain and every file are checked before it is done.
 */
export const restoreCommand = defineCommand({
  name: 'restore',
  usage,
  summary:
    'Restore a backup archive into an empty data folder (or empty PostgreSQL database): checks every part, the audit chain and every file.',
  options: { ...dataOptions, ...storageOptions, ...secretOptions },
  async run(values, positionals, ctx) {
    if (positionals.length !== 1) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    return restoreFromFile(positionals[0]!, config, secretFrom(values), ctx, 'restore');
  },
});

type Values = Parameters<typeof secretFrom>[0] & Parameters<typeof configFrom>[0];

/** `backup verify FILE`: a restore into a temporary SQLite folder, removed afterwards. */
export async function verifyBackup(file: string, values: Values, ctx: CommandContext): Promise<number> {
  const secret = secretFrom(values);
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-verify-'));
  try {
    const config = configFrom({
      ...values,
      dataDir: join(dir, 'data'),
      databaseUrl: '',
      storageUrl: 'file:',
      masterKeyFile: '',
      logLevel: 'warn' as const,
    });
    const env = { ...ctx.env, [MASTER_KEY_ENV]: undefined };
    const code = await restoreFromFile(file, config, secret, { ...ctx, env }, 'verify');
    if (code === 0) ctx.out(`backup verified: ${file}`);
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function restoreFromFile(
  file: string,
  config: Config,
  secret: BackupSecret,
  ctx: CommandContext,
  mode: 'restore' | 'verify',
): Promise<number> {
  const archive = archiveAt(file, config);
  if (!archive) {
    ctx.err(`no backup file at ${file}`);
    return 1;
  }
  const notEmpty = await targetProblem(config, ctx.env);
  if (notEmpty) {
    ctx.err(`refusing to restore: ${notEmpty}. Restore into an empty data folder (and an empty database).`);
    return 1;
  }
  const { open } = archive;
  const dialect = config.databaseUrl === '' ? 'sqlite' : 'postgres';
  const progress = progressReporter(ctx.out, false);
  const started = Date.now();
  const known = migrationsFor({ dialect }).map((m) => m.name);
  // A refused restore leaves the target as it was: a data folder made here is removed again.
  const madeFolder = !existsSync(config.dataPath);
  ensureDataDir(config.dataPath);
  const scratch = scratchDatabase(config.dataPath, 'restore');
  const store = openBlobStore(config);
  let checked: CheckedArchive;
  try {
    secret = await unwrapOnce(await archive.head(), secret);
    progress.step(`reading ${file}`);
    const into = {
      open,
      secret,
      target: restoreTarget(config, known, () => checked.manifest, scratch.path),
      store,
      writeKeys: (master: Buffer, retired: Buffer | null) => writeKeys(config, ctx.env, master, retired),
      progress,
    };
    // A backup from SQLite: read once, every part written as it is checked. Else (a part per
    // table) read twice: checked whole before a row is written, then loaded.
    checked =
      (await readArchiveOnce({ ...into, knownMigrations: known })) ??
      (await checkArchive(open, secret, known).then((manifest) => ({
        manifest,
        load: () => loadArchive({ ...into, manifest }),
      })));
  } catch (e) {
    await store.close?.();
    if (madeFolder) rmSync(config.dataPath, { recursive: true, force: true });
    if (e instanceof ArchiveDamagedError || e instanceof BackupTooNewError || e instanceof BackupKeyError) {
      ctx.err(`refusing to restore: ${e.message}; nothing was changed`);
      return 1;
    }
    throw e;
  }
  const { manifest } = checked;
  progress.step(
    `backup of ${manifest.createdAt} from Clinicbox ${manifest.clinicboxVersion} on ${manifest.sourceDialect}: every part matches its checksum`,
  );
  let restored: Restored;
  let db: Db | null = null;
  try {
    ({ restored, db } = await checked.load());
    const newer = await migrate(db);
    if (newer.length) progress.step(`applied the newer migrations: ${newer.join(', ')}`);
  } catch (e) {
    if (e instanceof ArchiveDamagedError || e instanceof MasterKeyError) {
      ctx.err(`restore failed: ${e.message}; the target is incomplete: remove it before trying again`);
      return 1;
    }
    throw e;
  } finally {
    await db?.close();
    await store.close?.();
  }
  const problems = await checkRestored(config, ctx, manifest, mode);
  if (problems.length) {
    for (const p of problems) ctx.err(`FAILED  ${p}`);
    return 1;
  }
  const rows = restored.tables.reduce((n, t) => n + t.rows, 0);
  const biggest = [...restored.tables]
    .sort((a, b) => b.rows - a.rows)
    .slice(0, 6)
    .map((t) => `${t.name} ${t.rows}`)
    .join(', ');
  ctx.out(
    `restored ${rows} rows in ${restored.tables.length} tables (${biggest}), ${restored.files} files (${(restored.fileBytes / 1048576).toFixed(1)} MB) and the master key in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (mode === 'restore') {
    ctx.out(
      `database: ${config.databaseUrl ? 'the PostgreSQL database given' : config.sqlitePath}; files: ${store.location}`,
    );
  }
  return 0;
}

/**
 * The checks before a restore is declared done, on the app as it will run: the database's own
 * integrity check, the audit chain (`audit verify`) and every document read back through the vault
 * (each plaintext SHA-256). Also records the target's store as the clinic's.
 */
async function checkRestored(
  config: Config,
  ctx: CommandContext,
  manifest: Manifest,
  mode: 'restore' | 'verify',
) {
  const problems: string[] = [];
  const app = await openAppForCommand(config, ctx, { command: 'restore', worker: false });
  if (!app) return ['the restored database does not open'];
  try {
    const { db, audit, storedFiles, files, clock } = app.deps;
    const integrity = await integrityProblems(db, mode);
    problems.push(...integrity);
    const checked =
      db.dialect === 'postgres'
        ? 'check (PostgreSQL checked its constraints as the rows went in)'
        : mode === 'verify'
          ? 'integrity check'
          : 'check (quick_check, foreign keys)';
    ctx.out(`database ${checked}: ${integrity.length ? 'FAILED' : 'ok'}`);
    const chain = await audit.verify();
    if (chain.ok) ctx.out(`audit log intact: ${chain.rows} rows, head ${chain.head}`);
    else problems.push(`audit log broken at row ${chain.brokenAt!.id}: ${chain.brokenAt!.reason}`);
    const stored = await storedFiles.list(db.reader);
    let bad = 0;
    for (const file of stored) {
      try {
        await files.verify(file);
      } catch (e) {
        bad++;
        problems.push(`${file.entity} file ${file.objectKey}: ${(e as Error).message}`);
      }
    }
    ctx.out(`documents: ${stored.length - bad} of ${stored.length} files read back and match their SHA-256`);
    if (problems.length || mode === 'verify') return problems;
    const record = await readStorageRecord(db);
    if (!record || !sameStorage(record.url, config.storageUrl, config.dataPath)) {
      await recordStorage(db, config.storageUrl, clock.now(), record?.url ?? manifest.storage);
    }
    await db.tx((c) =>
      audit.record(c, systemActor, {
        action: 'backup.restored',
        entity: 'settings',
        entityId: 'backup',
        details: {
          createdAt: manifest.createdAt,
          from: manifest.sourceDialect,
          version: manifest.clinicboxVersion,
        },
      }),
    );
    return problems;
  } finally {
    await app.stop(0);
  }
}

/**
 * SQLite's own checks of the restored file, read through a memory map and a large page cache
 * (the index checks look rows up out of order: with the default 2 MB cache nearly every lookup
 * misses it; about half the time on the 1M-appointment clinic). `backup verify` runs the full
 * integrity check. A restore runs quick_check (every page, record and constraint but the
 * indexes' match with their tables): its file is byte for byte the one the backup's SHA-256
 * describes — a copy of the live database's pages (SQLite's backup API; `VACUUM INTO` from the
 * binary, which builds every index anew), so an index that disagreed with its table in the live
 * database would disagree here too: `backup verify` is the check that finds that. Both check
 * the foreign keys.
 */
async function integrityProblems(db: Db, mode: 'restore' | 'verify'): Promise<string[]> {
  if (db.dialect !== 'sqlite') return [];
  // (mmap_size answers its new value as a row; cache_size answers none)
  await queryRows(db.reader, sql.raw('PRAGMA mmap_size = 4294967296'));
  await execute(db.reader, sql.raw('PRAGMA cache_size = -262144'));
  const pragma = mode === 'verify' ? 'integrity_check' : 'quick_check';
  const check = await queryRows<Record<string, string>>(db.reader, sql.raw(`PRAGMA ${pragma}`));
  const problems = check.map((r) => Object.values(r)[0]!).filter((r) => r !== 'ok');
  const fk = await queryRows<{ table: string }>(db.reader, sql`PRAGMA foreign_key_check`);
  if (fk.length) problems.push(`${fk.length} rows point at missing rows (first in ${fk[0]!.table})`);
  return problems;
}
