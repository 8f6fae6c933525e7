import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Manifest, matchingMigration, type RestoreTarget } from '../backup/index.ts';
import type { Config } from '../config/index.ts';
import { openDatabase, queryRows } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import {
  findMasterKey,
  hmacHex,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE_NAME,
  MasterKeyError,
} from '../lib/crypto.ts';
import { retiredKeysPath } from '../lib/keyring.ts';
import { openBlobStore } from '../storage/index.ts';

/** Where `clinicbox restore` reads from and writes to: the archive, the target and its keys. */

/** The database a restore goes into, as configured; migrated up to the backup's when rows go in. */
export function restoreTarget(
  config: Config,
  known: string[],
  manifest: () => Manifest,
  scratchPath: string,
): RestoreTarget {
  return {
    dialect: config.databaseUrl === '' ? 'sqlite' : 'postgres',
    sqlitePath: config.sqlitePath,
    scratchPath,
    async open(toBackup) {
      const opened = await openDatabase({
        url: config.databaseUrl,
        sqlite: { path: config.sqlitePath, synchronous: config.sqliteSynchronous },
      });
      try {
        if (toBackup)
          await migrate(opened, () => new Date(), matchingMigration(manifest().lastMigration, known));
      } catch (e) {
        await opened.close();
        throw e;
      }
      return opened;
    },
  };
}

/**
 * The archive's bytes from the start (each pass reads it once), and its first 64 KiB, where age's
 * header is: a local file, or an object on S3 (s3://bucket/prefix/NAME, with the --s3-* settings).
 */
export function archiveAt(
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
export async function targetProblem(
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
export function writeKeys(
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
