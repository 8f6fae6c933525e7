import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { bothDialects, createTestDb, type TestDb } from '../testing/db.ts';
import { execute, queryRows } from './client.ts';
import { DatabaseTooNewError, migrate, migrationsFor, readMigrationStatus } from './migrate.ts';
import { checkReadiness } from './readiness.ts';

describe.each(bothDialects)('migrations on %s', (dialect) => {
  let db: TestDb;
  afterEach(() => db.destroy());

  it('applies every migration once, then nothing; readiness follows', async () => {
    db = await createTestDb(dialect);
    const all = migrationsFor(db).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(await checkReadiness(db)).toMatchObject({
      ready: false,
      reason: 'migrations not applied',
      pending: all,
    });

    expect(await migrate(db)).toEqual(all);
    expect(await migrate(db)).toEqual([]);
    expect(await readMigrationStatus(db)).toEqual({ applied: all, pending: [], unknown: [] });
    expect(await checkReadiness(db)).toEqual({ ready: true, database: dialect });
  });

  it('two instances migrating at once apply each migration exactly once', async () => {
    db = await createTestDb(dialect);
    const [a, b] = await Promise.all([migrate(db), migrate(db)]);
    expect([...(a ?? []), ...(b ?? [])].sort()).toEqual(
      migrationsFor(db)
        .map((m) => m.name)
        .sort(),
    );
  });

  it('refuses a database migrated by a newer Clinicbox, naming the unknown migration', async () => {
    db = await createTestDb(dialect);
    await migrate(db);
    await db.tx((ctx) =>
      execute(
        ctx,
        sql`insert into clinicbox_migrations (name, applied_at) values ('9999_from_the_future', 0)`,
      ),
    );
    await expect(migrate(db)).rejects.toThrow(DatabaseTooNewError);
    await expect(migrate(db)).rejects.toThrow(/newer Clinicbox.*9999_from_the_future/);
    expect(await checkReadiness(db)).toMatchObject({ ready: false });
    const rows = await queryRows(db.reader, sql`select name from clinicbox_migrations`);
    expect(rows).toHaveLength(migrationsFor(db).length + 1);
  });
});
