import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDb, type TestDb, type TestDialect } from './db.ts';

/*
 * What a describe block needs made before its tests and ended after them (an app, a sink), in one
 * line instead of a `let` and two hooks in every file. Each returns a getter: call it in a test.
 */

type Hook = (fn: () => Promise<void>) => void;

/** `make` in the `before` hook, `end` of what it made in the `after` hook; a getter of the value. */
function madeBetween<T>(before: Hook, after: Hook, make: () => Promise<T>, end: (value: T) => unknown) {
  let value: T | undefined;
  before(async () => {
    value = await make();
  });
  after(async () => {
    if (value !== undefined) await end(value);
    value = undefined;
  });
  return () => value as T;
}

/** Made once before the block's first test, ended after its last. */
export const perSuite = <T>(make: () => Promise<T>, end: (value: T) => unknown): (() => T) =>
  madeBetween(beforeAll, afterAll, make, end);

/** Made anew before each test of the block, ended after it. */
export const perTest = <T>(make: () => Promise<T>, end: (value: T) => unknown): (() => T) =>
  madeBetween(beforeEach, afterEach, make, end);

/** A migrated test database of `dialect` shared by the block's tests. */
export const suiteDb = (dialect: TestDialect): (() => TestDb) =>
  perSuite(
    async () => {
      const db = await createTestDb(dialect);
      await migrate(db);
      return db;
    },
    (db) => db.destroy(),
  );

/** A test app (createTestApp with `options`) shared by the block's tests. */
export const suiteApp = (options: Parameters<typeof createTestApp>[0] = {}): (() => TestApp) =>
  perSuite(
    () => createTestApp(options),
    (app) => app.destroy(),
  );

/** Clean-ups a test pushes as it makes things (a server, a browser), run last first. */
export type Cleanups = (() => Promise<unknown>)[];

async function runCleanups(cleanups: Cleanups): Promise<void> {
  // One that fails (a browser already closed) does not keep the others from running.
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
  cleanups.length = 0;
}

/** A clean-up list emptied after each test of the block. */
export function cleanupsAfterEach(): Cleanups {
  const cleanups: Cleanups = [];
  afterEach(() => runCleanups(cleanups));
  return cleanups;
}

/** A clean-up list emptied after the block's last test. */
export function cleanupsAfterAll(): Cleanups {
  const cleanups: Cleanups = [];
  afterAll(() => runCleanups(cleanups));
  return cleanups;
}

/** The child processes a test starts: any still running after it (a failed expectation) is SIGKILLed. */
export function childrenKilledAfterEach(): Set<ChildProcess> {
  const children = new Set<ChildProcess>();
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.clear();
  });
  return children;
}
