import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { App } from '../app.ts';
import { type Db, openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { appOnDatabase } from './app.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';

/*
 * A database that several `clinicbox serve` processes share (test/*-race.test.ts): on SQLite the
 * file in a data folder of its own, on PostgreSQL a database of its own on the suite's server.
 */

/** The suite's PostgreSQL server, or '' when the suite runs on SQLite. */
export const suitePostgresUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

export interface SharedDatabase {
  /** `--database-url` for the processes ('' on SQLite). */
  url: string;
  /** `--data-dir` for the processes (it holds the SQLite file). */
  dataDir: string;
  /** Opens the database in this process (close it when done). */
  open(): Promise<Db>;
  /** Opens the database in this process for `fn`, closed after. */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
}

/** Runs `fn` on a new, migrated shared database (`name` prefixes its folder and database); drops it after. */
export async function withSharedDatabase<T>(
  name: string,
  fn: (shared: SharedDatabase) => Promise<T>,
): Promise<T> {
  const dataDir = join(mkdtempSync(join(tmpdir(), `clinicbox-${name}-`)), 'data');
  const admin = suitePostgresUrl ? postgres(suitePostgresUrl, { max: 1, onnotice: () => {} }) : null;
  const database = `cb_${name.replaceAll('-', '_')}_${process.pid}_${Date.now()}`;
  if (admin) await admin.unsafe(`create database ${database}`);
  const url = admin ? suitePostgresUrl.replace(/\/[^/]*$/, `/${database}`) : '';
  const sqlite = { path: join(dataDir, 'clinicbox.db'), synchronous: 'full' as const };
  const open = () => openDatabase({ url, sqlite });
  const shared: SharedDatabase = {
    url,
    dataDir,
    open,
    async read(fn) {
      const db = await open();
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
  };
  try {
    const db = await shared.open();
    await migrate(db);
    await db.close();
    return await fn(shared);
  } finally {
    if (admin) {
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
  }
}

/**
 * seedClinic(`seed`) on the shared database by an app in this process, then `prepare` (what the
 * test needs made before the processes start); the app stops before this returns. Also a session
 * of the receptionist's (`cb_staff` cookie value) for the processes' API.
 */
export async function seedSharedDatabase<T = undefined>(
  shared: SharedDatabase,
  seed: Parameters<typeof seedClinic>[1],
  prepare?: (app: App, clinic: ClinicFixture) => Promise<T>,
): Promise<{ clinic: ClinicFixture; deskToken: string; prepared: T }> {
  const seeder = await appOnDatabase(await shared.open());
  try {
    const clinic = await seedClinic(seeder, seed);
    const prepared = (await prepare?.(seeder, clinic)) as T;
    const { token } = await seeder.deps.staff.sessions.start(clinic.receptionId, { mfaVerified: true });
    return { clinic, deskToken: token, prepared };
  } finally {
    await seeder.stop();
  }
}
