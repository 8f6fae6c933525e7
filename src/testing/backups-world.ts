import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.ts';
import type { BackupRun } from '../domain/backups/index.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { createTestDb } from './db.ts';
import { until } from './wait.ts';

/** An age identity for a test's archives (X25519: no scrypt, fast), in a file for `backup verify`. */
export interface BackupKeys {
  identity: string;
  recipient: string;
  identityFile: string;
}

export async function backupKeys(dir: string): Promise<BackupKeys> {
  const identity = await generateX25519Identity();
  const identityFile = join(dir, 'backup.key');
  writeFileSync(identityFile, `${identity}\n`, { mode: 0o600 });
  return { identity, recipient: await identityToRecipient(identity), identityFile };
}

export type BackupTestApp = TestApp & { keys: BackupKeys; dir: string };

/**
 * The whole app on a fresh test database whose backups can be taken: on PostgreSQL its
 * `--database-url` names the test's own schema (the snapshot opens a connection of its own); on
 * SQLite the snapshot is taken beside the test database. `backupTo` ('' = none) gets the test's
 * recipient; the worker (when asked) polls every 20 ms, on the fixed clock.
 */
export async function createBackupTestApp(
  options: Pick<TestAppOptions, 'dialect' | 'now' | 'config' | 'worker'> & {
    /** A folder for scheduled backups: '' = no target; undefined = `<temp>/backups`. */
    backupTo?: string;
  } = {},
): Promise<BackupTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-backups-'));
  const keys = await backupKeys(dir);
  const db = await createTestDb(options.dialect, { migrated: true });
  let databaseUrl = '';
  if (db.dialect === 'postgres') {
    const [row] = await queryRows<{ s: string }>(db.reader, sql`select current_schema() as s`);
    databaseUrl = `${process.env.CLINICBOX_TEST_DATABASE_URL}?search_path=${row!.s}`;
  }
  const backupTo = options.backupTo ?? join(dir, 'backups');
  const app = await createTestApp({
    db,
    ...(options.now ? { now: options.now } : {}),
    worker: options.worker ?? false,
    config: {
      storageUrl: `file:${join(dir, 'files')}`,
      databaseUrl,
      jobPollInterval: 20,
      staffMfa: 'optional',
      ...(backupTo ? { backupTo, backupRecipient: keys.recipient } : {}),
      ...options.config,
    },
  });
  const destroyApp = app.destroy;
  return Object.assign(app, {
    keys,
    dir,
    async destroy() {
      await destroyApp();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Waits until the newest backup run has ended (succeeded or failed) and answers it. */
export const runEnded = (app: BackupTestApp, ms?: number): Promise<BackupRun> =>
  until(
    'a backup run to end',
    async () => {
      const [run] = (await app.deps.backups.overview()).recent;
      return run && (run.status === 'succeeded' || run.status === 'failed') ? run : null;
    },
    ms,
  );
