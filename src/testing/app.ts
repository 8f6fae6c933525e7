import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../app.ts';
import { type Config, configFrom } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { fixedClock } from '../lib/clock.ts';
import { createLogger, type Logger, silentLogger } from '../lib/log.ts';
import type { MailTransport } from '../notify/email/index.ts';
import type { SmsTransport } from '../notify/sms/index.ts';
import { createBenchDb, createTestDb, type TestDb, type TestDialect } from './db.ts';
import { testMasterKeyFile } from './keys.ts';

export interface TestApp extends App {
  db: TestDb;
  clock: ReturnType<typeof fixedClock>;
  /** Log lines written so far (JSON objects). */
  logs: Record<string, unknown>[];
  /** The folder its stored files go to (its own, removed by `destroy`), unless the test named a store. */
  filesPath: string | null;
  /** Stops the app and removes its database and its files. */
  destroy(): Promise<void>;
}

let processFiles: string | undefined;

/** Where apps made from `testConfig()` alone keep files: one temp folder a process, removed at exit. */
function testFilesFolder(): string {
  if (!processFiles) {
    const folder = mkdtempSync(join(tmpdir(), 'clinicbox-test-files-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    processFiles = folder;
  }
  return processFiles;
}

/**
 * A complete config from the flags' defaults (no data folder; the test master key; stored files
 * in a temp folder), with `overrides`.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...configFrom({
      dataDir: '/nonexistent-test-data',
      masterKeyFile: testMasterKeyFile(),
      storageUrl: `file:${testFilesFolder()}`,
    }),
    ...overrides,
  };
}

/**
 * The whole app on a fresh, migrated test database with a fixed clock and captured logs.
 * Drive it with `app.http.request(path, init)` — no server needed.
 */
/** How createTestApp builds a test's app; the test worlds take the parts they pass on. */
export interface TestAppOptions {
  dialect?: TestDialect;
  now?: string;
  config?: Partial<Config>;
  /** Where email goes (default: the log driver). */
  mail?: MailTransport;
  /** Where SMS go (default: the log driver). */
  sms?: SmsTransport;
  /** Run a job worker (started by app.start()). */
  worker?: boolean;
  /** Accept push subscriptions to a local http push service. */
  allowLocalPushEndpoints?: boolean;
  /** A test database the test made itself (to name it in `config`); destroyed with the app. */
  db?: TestDb;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDb(options.dialect, { migrated: true }));
  await migrate(db);
  const clock = fixedClock(options.now ?? '2026-03-02T09:00:00Z');
  const logs: Record<string, unknown>[] = [];
  const log: Logger = createLogger({
    level: 'debug',
    format: 'json',
    write: (l) => logs.push(JSON.parse(l)),
  });
  // Each app its own files folder, so a test sees only its own objects (a second instance shares it).
  const filesPath = options.config?.storageUrl ? null : mkdtempSync(join(tmpdir(), 'clinicbox-test-files-'));
  const config = filesPath ? { ...options.config, storageUrl: `file:${filesPath}` } : options.config;
  const app = await createApp(testConfig(config), {
    db,
    clock,
    log,
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
    ...(options.mail ? { mail: options.mail } : {}),
    ...(options.sms ? { sms: options.sms } : {}),
    worker: options.worker ?? false,
    allowLocalPushEndpoints: options.allowLocalPushEndpoints ?? false,
  });
  return Object.assign(app, {
    db,
    clock,
    logs,
    filesPath,
    async destroy() {
      await app.stop();
      await db.destroy();
      if (filesPath) rmSync(filesPath, { recursive: true, force: true });
    },
  });
}

/**
 * The whole app on `db` as a bench or a seeding step runs it: the system clock, no log, no worker,
 * cheap password hashing (scrypt N = `passwordN`); `config` over testConfig's, where staff sign in
 * without a second factor.
 */
export function appOnDatabase(db: Db, config: Partial<Config> = {}, passwordN = 2 ** 10): Promise<App> {
  return createApp(testConfig({ staffMfa: 'optional', ...config }), {
    db,
    log: silentLogger,
    worker: false,
    passwordCost: { N: passwordN, r: 8, p: 1 },
  });
}

/**
 * A bench's app (appOnDatabase) on createBenchDb(`dialect`), its stored files in a new temp folder
 * named after the bench: the three, for the bench to start, measure and remove.
 */
export async function benchApp(
  dialect: TestDialect,
  bench: string,
): Promise<{ db: TestDb; dir: string; app: App }> {
  const db = await createBenchDb(dialect);
  const dir = mkdtempSync(join(tmpdir(), `clinicbox-bench-${bench}-`));
  return { db, dir, app: await appOnDatabase(db, { storageUrl: `file:${dir}` }) };
}
