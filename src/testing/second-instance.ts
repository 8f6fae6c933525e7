import { sql } from 'drizzle-orm';
import { type App, createApp } from '../app.ts';
import type { Config } from '../config/index.ts';
import { type Db, openDatabase, queryRows } from '../db/client.ts';
import { silentLogger } from '../lib/log.ts';
import type { TestApp } from './app.ts';

/** Another instance of a test app: its own caches and limits over the same rows. */
export interface SecondInstance extends App {
  /** Closes its own database connection (a shared handle is the first app's to close). */
  close(): Promise<void>;
}

/**
 * A second instance of `app` on the same database, as another process behind the balancer would
 * be (same config and clock). On a PostgreSQL server it opens its own connection to the test's
 * schema; on SQLite and PGlite it shares the first app's handle (PGlite has one connection, and
 * two SQLite handles in one process can stall each other), which still leaves every cache its own.
 */
export async function secondInstance(app: TestApp, config: Partial<Config> = {}): Promise<SecondInstance> {
  const url = process.env.CLINICBOX_TEST_DATABASE_URL ?? '';
  let db: Db = app.db;
  let close = async () => {};
  if (app.db.dialect === 'postgres' && url.startsWith('postgres')) {
    const [row] = await queryRows<{ s: string }>(app.db.reader, sql`select current_schema() as s`);
    const own = await openDatabase({ url, sqlite: { path: '', synchronous: 'full' }, pgSchema: row!.s });
    db = own;
    close = () => own.close();
  }
  const other = await createApp(
    { ...app.deps.config, ...config },
    { db, clock: app.clock, log: silentLogger, passwordCost: { N: 2 ** 10, r: 8, p: 1 }, worker: false },
  );
  return Object.assign(other, { close });
}
