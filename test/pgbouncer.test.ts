import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { type TestApp, testConfig } from '../src/testing/app.ts';
import { havePgBouncer, type PgBouncerPeer, startPgBouncer } from '../src/testing/peers/pgbouncer.ts';
import { signedInStaff } from '../src/testing/signed-in.ts';
import { until } from '../src/testing/wait.ts';

/*
 * Issue 21, item 3: two instances whose queries go through PgBouncer in transaction mode, each
 * listening for the other's cache invalidations on a direct connection (--database-listen-url).
 * The pooled connections work (no prepared statements), and a session signed out on one instance
 * is refused on the other within a second. Runs in the PostgreSQL suite (a server on
 * 127.0.0.1:5432) with Debian's pgbouncer installed (CI installs it); skipped elsewhere. Without
 * --database-listen-url both fail: sign-in on a prepared statement PgBouncer lost, and the LISTEN.
 */
const direct = process.env.CLINICBOX_TEST_DATABASE_URL ?? '';
const runnable = havePgBouncer() && direct.startsWith('postgres');

describe.skipIf(!runnable)('instances through PgBouncer (transaction mode)', () => {
  let bouncer: PgBouncerPeer;
  const database = `clinicbox_pgb_${randomBytes(4).toString('hex')}`;
  const admin = postgres(direct, { max: 1, onnotice: () => {}, username: 'postgres' });
  const apps: TestApp[] = [];
  const filesFolder = mkdtempSync(join(tmpdir(), 'clinicbox-pgb-files-'));
  const directUrl = () => {
    const u = new URL(direct);
    u.pathname = `/${database}`;
    u.username = 'postgres';
    return u.toString();
  };

  beforeAll(async () => {
    await admin.unsafe(`create database ${database}`);
    bouncer = await startPgBouncer();
  }, 30_000);
  afterAll(async () => {
    for (const app of apps) await app.destroy();
    await bouncer?.stop();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    rmSync(filesFolder, { recursive: true, force: true });
  });

  /** An instance: its own connections, through PgBouncer, LISTEN direct. */
  async function instance(): Promise<TestApp> {
    const db = await openDatabase({
      url: bouncer.url(database),
      listenUrl: directUrl(),
      sqlite: { path: '', synchronous: 'full' },
    });
    await migrate(db);
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const app = await createApp(testConfig({ staffMfa: 'optional', storageUrl: `file:${filesFolder}` }), {
      db,
      clock,
      log: silentLogger,
      passwordCost: { N: 2 ** 10, r: 8, p: 1 },
      worker: false,
    });
    await app.start();
    const testApp = Object.assign(app, {
      db: Object.assign(db, { destroy: () => db.close() }),
      clock,
      logs: [] as Record<string, unknown>[],
      filesPath: filesFolder,
      async destroy() {
        await app.stop();
        await db.close();
      },
    });
    apps.push(testApp);
    return testApp;
  }

  it('serves from pooled connections and refuses a session signed out on the other instance within a second', async () => {
    const first = await instance();
    const second = await instance();
    const { browser } = await signedInStaff(first, 'reception');
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const onSecond = () => second.http.request('http://localhost/staff', { headers: { cookie } });
    // Many requests over PgBouncer's pooled connections (each transaction may land on another).
    for (let i = 0; i < 40; i++) expect((await onSecond()).status).toBe(200);

    expect((await browser.post('/staff/logout')).status).toBe(303);
    const started = performance.now();
    await until(
      'the second instance to refuse the signed-out session',
      async () => (await onSecond()).status === 303,
      5_000,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  }, 60_000);
});
