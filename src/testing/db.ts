import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openDatabase } from '../db/client.ts';
import { clinicboxMigrationsTable, migrate } from '../db/migrate.ts';
import { pgMigrations } from '../db/migrations/embedded.ts';
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

/**
 * Both dialects: tests that must hold on each run on each in every suite run (PostgreSQL on PGlite
 * where no server is set) — except in CI, which runs one suite per dialect side by side and sets
 * CLINICBOX_TEST_ONE_DIALECT=1: there each run covers its own dialect, on the real engine, and a
 * SQLite run does not repeat the PostgreSQL cases on PGlite (nor the PostgreSQL run the SQLite ones).
 */
export const bothDialects: TestDialect[] =
  process.env.CLINICBOX_TEST_ONE_DIALECT === '1' ? [suiteDialect()] : ['sqlite', 'postgres'];

export async function createTestDb(
  dialect: TestDialect = suiteDialect(),
  options: {
    synchronous?: 'full' | 'normal';
    /**
     * PostgreSQL: create the schema with every migration already applied, in one round trip (the
     * same statements migrate() runs, recorded the same way), where migrate() takes ~300 round
     * trips — most of a second per test app. migrate() then finds nothing pending.
     */
    migrated?: boolean;
    /** SQLite: names the file's temporary folder (`clinicbox-<label>-…`), to tell whose it is. */
    label?: string;
  } = {},
): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `clinicbox-${options.label ?? 'test'}-`));
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
  return createPostgresSchemaDb(url, options.migrated ?? false);
}

/** A test database as benches measure on: durable writes (SQLite synchronous=full), migrated. */
export async function createBenchDb(dialect: TestDialect): Promise<TestDb> {
  const db = await createTestDb(dialect, { synchronous: 'full', migrated: true });
  await migrate(db);
  return db;
}

let pglites = 0;
async function createPgliteDb(): Promise<TestDb> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite();
  // A location of its own, as a file or a schema has: what is keyed by it (worker ids) stays apart.
  const location = `pglite (memory #${++pglites})`;
  const db = wrapPostgres(drizzle(client, { schema: pgSchema }), location, () => client.close());
  return withDestroy(db, () => db.close());
}

async function createPostgresSchemaDb(url: string, migrated: boolean): Promise<TestDb> {
  const { default: postgres } = await import('postgres');
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema ${schema}`);
  if (migrated) await admin.unsafe(migratedSchemaScript(schema)).simple();
  const db = await openDatabase({ url, sqlite: { path: '', synchronous: 'full' }, pgSchema: schema });
  return withDestroy(db, async () => {
    await db.close();
    await admin.unsafe(`drop schema ${schema} cascade`);
    await admin.end({ timeout: 5 });
  });
}

/** Every PostgreSQL migration and its record in clinicbox_migrations, as one transaction. */
function migratedSchemaScript(schema: string): string {
  const now = Date.now();
  return [
    'begin',
    `set local search_path to ${schema}`,
    clinicboxMigrationsTable.postgres,
    ...pgMigrations.flatMap((m) => [
      ...m.statements,
      `insert into clinicbox_migrations (name, applied_at) values ('${m.name}', ${now})`,
    ]),
    'commit',
  ].join(';\n');
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
