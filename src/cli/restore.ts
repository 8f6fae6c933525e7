import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  ArchiveDamagedError,
  BackupKeyError,
  type BackupSecret,
  BackupTooNewError,
  checkArchive,
  loadArchive,
  type Manifest,
  matchingMigration,
  type Restored,
  removeStale,
  unwrapOnce,
} from '../backup/index.ts';
import { type Config, configFrom, dataOptions, ensureDataDir, storageOptions } from '../config/index.ts';
import { type Db, openDatabase, queryRows } from '../db/client.ts';
import { migrate, migrationsFor } from '../db/migrate.ts';
import { systemActor } from '../domain/audit/index.ts';
import {
  findMasterKey,
  hmacHex,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE_NAME,
  MasterKeyError,
} from '../lib/crypto.ts';
import { retiredKeysPath } from '../lib/keyring.ts';
import { openBlobStore } from '../storage/index.ts';
import { progressReporter, secretFrom, secretOptions } from './backup-options.ts';
import { type CommandContext, defineCommand } from './command.ts';
import { openAppForCommand } from './start.ts';
import { readStorageRecord, recordStorage, sameStorage } from './storage-record.ts';

const usage =
  'clinicbox restore FILE --data-dir NEW [--database-url postgres://…] (--passphrase-file F | --identity-file F)';

/**
 * `clinicbox restore FILE`: into an empty target only. Reads the whole archive once to check every
 * part against the manifest (nothing is written before that), migrates the new database up to the
 * backup's last migration, loads the rows, applies newer migrations, restores the files and the
 * master key, then checks the database, the audit chain and every file before saying it is done.
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
  let manifest: Manifest;
  try {
    secret = await unwrapOnce(await archive.head(), secret);
    progress.step(`checking ${file}`);
    manifest = await checkArchive(
      open,
      secret,
      migrationsFor({ dialect }).map((m) => m.name),
    );
  } catch (e) {
    if (e instanceof ArchiveDamagedError || e instanceof BackupTooNewError || e instanceof BackupKeyError) {
      ctx.err(`refusing to restore: ${e.message}; nothing was changed`);
      return 1;
    }
    throw e;
  }
  progress.step(
    `backup of ${manifest.createdAt} from Clinicbox ${manifest.clinicboxVersion} on ${manifest.sourceDialect}: every part matches its checksum`,
  );

  ensureDataDir(config.dataPath);
  // A scratch file a killed restore left (plaintext, in the data folder: same protection).
  removeStale(config.dataPath, /^\.restore-(\d+)\.db(-wal|-shm|-journal)?$/);
  const store = openBlobStore(config);
  const known = migrationsFor({ dialect }).map((m) => m.name);
  let restored: Restored;
  let db: Db | null = null;
  try {
    ({ restored, db } = await loadArchive({
      open,
      secret,
      manifest,
      target: {
        dialect,
        sqlitePath: config.sqlitePath,
        scratchPath: join(config.dataPath, `.restore-${process.pid}.db`),
        async open(toBackup) {
          const opened = await openDatabase({
            url: config.databaseUrl,
            sqlite: { path: config.sqlitePath, synchronous: config.sqliteSynchronous },
          });
          try {
            if (toBackup) {
              await migrate(opened, () => new Date(), matchingMigration(manifest.lastMigration, known));
            }
          } catch (e) {
            await opened.close();
            throw e;
          }
          return opened;
        },
      },
      store,
      writeKeys: (master, retired) => writeKeys(config, ctx.env, master, retired),
      progress,
    }));
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
 * The archive's bytes from the start (each pass reads it once), and its first 64 KiB, where age's
 * header is: a local file, or an object on S3 (s3://bucket/prefix/NAME, with the --s3-* settings).
 */
function archiveAt(
  file: string,
  config: Config,
): { open: () => AsyncIterable<Uint8Array>; head(): Promise<Buffer> } | null {
  if (file.startsWith('s3://')) {
    const slash = file.lastIndexOf('/');
    const key = file.slice(slash + 1);
    const store = () => openBlobStore({ ...config, storageUrl: file.slice(0, slash + 1) });
    const read = async function* (range?: { start: number; end: number }) {
      const s = store();
      try {
        yield* (await s.get(key, range)) as AsyncIterable<Uint8Array>;
      } finally {
        await s.close?.();
      }
    };
    return {
      open: () => read(),
      async head() {
        const chunks: Uint8Array[] = [];
        for await (const c of read({ start: 0, end: 65535 })) chunks.push(c);
        return Buffer.concat(chunks);
      },
    };
  }
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  return {
    open: () => createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    async head() {
      const fd = openSync(file, 'r');
      try {
        const head = Buffer.alloc(65536);
        return head.subarray(0, readSync(fd, head, 0, head.length, 0));
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Why the target is not empty (database, master key, stored files), or null. */
async function targetProblem(
  config: Config,
  env: Record<string, string | undefined>,
): Promise<string | null> {
  if (config.databaseUrl === '') {
    if (existsSync(config.sqlitePath) && statSync(config.sqlitePath).size > 0) {
      return `${config.sqlitePath} exists`;
    }
  } else {
    const db = await openDatabase({ url: config.databaseUrl, sqlite: { path: '', synchronous: 'full' } });
    try {
      const tables = await queryRows(
        db.reader,
        sql`select table_name from information_schema.tables where table_schema = current_schema()`,
      );
      if (tables.length) return `the PostgreSQL database has tables (${tables.length})`;
    } finally {
      await db.close();
    }
  }
  if (
    !config.masterKeyFile &&
    !env[MASTER_KEY_ENV] &&
    existsSync(join(config.dataPath, MASTER_KEY_FILE_NAME))
  ) {
    return `${join(config.dataPath, MASTER_KEY_FILE_NAME)} exists`;
  }
  const store = openBlobStore(config);
  try {
    for await (const info of store.list()) return `${store.location} holds files (${info.key}…)`;
  } finally {
    await store.close?.();
  }
  return null;
}

/**
 * The backup's master key into `<data-dir>/master.key` (0600), and its retired keys beside it;
 * when the target is given a key (flag or env), it must be the backup's.
 */
function writeKeys(
  config: Config,
  env: Record<string, string | undefined>,
  master: Buffer,
  retired: Buffer | null,
) {
  const given = findMasterKey({ file: config.masterKeyFile, dataPath: join(config.dataPath, '.none'), env });
  const text = master.length === 32 ? master.toString('base64') : master.toString('utf8').trim();
  const fromBackup = findMasterKey({ file: '', dataPath: '', env: { [MASTER_KEY_ENV]: text } })!;
  if (given) {
    if (hmacHex(given.key, 'backup') !== hmacHex(fromBackup.key, 'backup')) {
      throw new MasterKeyError(
        "the master key given (--master-key-file or CLINICBOX_MASTER_KEY) is not the backup's: restore without it (the backup's key is written to the data folder) or give the clinic's key",
      );
    }
    if (retired && given.path)
      writeFileSync(retiredKeysPath(given.path), retired, { mode: 0o600, flag: 'wx' });
    return;
  }
  const path = join(config.dataPath, MASTER_KEY_FILE_NAME);
  writeFileSync(path, master, { mode: 0o600, flag: 'wx' });
  if (retired) writeFileSync(retiredKeysPath(path), retired, { mode: 0o600, flag: 'wx' });
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
    const integrity = await integrityProblems(db);
    problems.push(...integrity);
    ctx.out(integrity.length ? 'database integrity check FAILED' : 'database integrity check: ok');
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

async function integrityProblems(db: Db): Promise<string[]> {
  if (db.dialect !== 'sqlite') return [];
  const check = await queryRows<{ integrity_check: string }>(db.reader, sql`PRAGMA integrity_check`);
  const problems = check.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  const fk = await queryRows<{ table: string }>(db.reader, sql`PRAGMA foreign_key_check`);
  if (fk.length) problems.push(`${fk.length} rows point at missing rows (first in ${fk[0]!.table})`);
  return problems;
}
