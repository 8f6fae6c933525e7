import { type App, type AppOverrides, createApp } from '../../src/app.ts';
import type { Config } from '../../src/config/index.ts';
import { migrate } from '../../src/db/migrate.ts';
import { type Listening, listen } from '../../src/http/listen.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { testConfig } from '../../src/testing/app.ts';
import { createTestDb, suiteDialect } from '../../src/testing/db.ts';
import { type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import type { Cleanups } from '../../src/testing/lifecycle.ts';

/**
 * The whole app on a fresh database of the suite's dialect (createTestDb: a SQLite file in a
 * folder named after `name`, or a PostgreSQL schema with CLINICBOX_TEST_DATABASE_URL), without a
 * worker unless `overrides` ask for one, with cheap password hashing, served on a free port for a
 * real browser: the staff pages' browser tests run on both dialects. `stop` closes the server,
 * then the app, then removes the database.
 */
export async function servedApp(
  name: string,
  config: Partial<Config> = {},
  overrides: Pick<AppOverrides, 'worker' | 'mail'> = {},
): Promise<{ app: App; server: Listening; stop(): Promise<void> }> {
  const db = await createTestDb(suiteDialect(), { migrated: true, label: name });
  await migrate(db);
  const app = await createApp(testConfig(config), {
    db,
    log: silentLogger,
    worker: false,
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
    ...overrides,
  });
  const server = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
  return {
    app,
    server,
    async stop() {
      await server.close(1000);
      await app.stop();
      await db.destroy();
    },
  };
}

/**
 * A staff page test's clinic: the app served (`servedApp`, staff second factor optional, stopped
 * by `cleanups`) with seedClinic's clinic (`seed`) in it; `base` is the server's URL.
 */
export async function servedClinic(
  cleanups: Cleanups,
  name: string,
  seed?: Parameters<typeof seedClinic>[1],
): Promise<{ app: App; base: string; clinic: ClinicFixture }> {
  const { app, server, stop } = await servedApp(name, { staffMfa: 'optional' });
  cleanups.push(stop);
  return { app, base: server.url, clinic: await seedClinic(app, seed) };
}
