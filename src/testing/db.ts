import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openDatabase } from '../db/client.ts';
import { wrapPostgres } from '../db/postgres.ts';
import * as pgSchema from '../db/schema/pg.ts';

/**
 * Test databases on real engines. SQLite: a fresh file in a temp folder. PostgreSQL: a fresh
 * schema on the server named by CLINICBOX_TEST_DATABASE_URL (each test file isolated), or, when
 * that is `pglite` or unset where PostgreSQL is asked for, PGlite (PostgreSQL in WASM) in memory.
 */
export type TestDialect = 'sqlite' | 'postgres';

export interface TestDb extends Db {
  /** Closes the database and removes its file or schema. */
  destroy(): Promise<void>;
}

/** The dialect the suite runs on: PostgreSQL when CLINICBOX_TEST_DATABASE_URL is set. */
export const suiteDialect = (): TestDialect =>
  process.env.CLINICBOX_TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/** Both dialects: tests of the database layer itself run on each in every suite run. */
export const bothDialects: TestDialect[] = ['sqlite', 'postgres'];

export async function createTestDb(
  dialect: TestDialect = suiteDialect(),
  options: { synchronous?: 'full' | 'normal' } = {},
): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'clinicbox-test-'));
    const db = await openDatabase({
      url: '',
      sqlite: { path: join(dir, 'clinicbox.db'), synchronous: options.synchronous ?? 'normal' },
    });
    return withDestroy(db, async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
  }
  const url = process.env.CLINICBOX_TEST_DATABASE_URL;
  if (!url || url === 'pglite') return createPgliteDb();
  return createPostgresSchemaDb(url);
}

async function createPgliteDb(): Promise<TestDb> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite();
  const db = wrapPostgres(drizzle(client, { schema: pgSchema }), 'pglite (memory)', () => client.close());
  return withDestroy(db, () => db.close());
}

async function createPostgresSchemaDb(url: string): Promise<TestDb> {
  const { default: postgres } = await import('postgres');
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema ${schema}`);
  const db = await openDatabase({ url, sqlite: { path: '', synchronous: 'full' }, pgSchema: schema });
  return withDestroy(db, async () => {
    await db.close();
    await admin.unsafe(`drop schema ${schema} cascade`);
    await admin.end({ timeout: 5 });
  });
}

function withDestroy(db: Db, destroy: () => Promise<void>): TestDb {
  let destroyed = false;
  return Object.assign(Object.create(null), db, {
    close: db.close,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await destroy();
    },
  }) as TestDb;
}
