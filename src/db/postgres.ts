import { AsyncLocalStorage } from 'node:async_hooks';
import { userInfo } from 'node:os';
import { cacheBus, type RemoteChannel } from './cache-bus.ts';
import type { Db, DbCtx, Queryable, Schema, TxObserver } from './client.ts';
import * as pgSchema from './schema/pg.ts';

/** PostgreSQL through postgres.js: concurrent transactions at READ COMMITTED. */

/**
 * `listenUrl`: a direct connection for LISTEN when `url` goes through a pooler in transaction
 * mode (PgBouncer), where a session's LISTEN would be lost; the pooled connections then also
 * skip prepared statements, which such a pooler cannot keep per client (postgres.js would hang
 * on "prepared statement does not exist").
 */
export async function openPostgres(url: string, searchPath?: string, listenUrl = '', pool = 10): Promise<Db> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const connect = (at: string, max: number, pooled: boolean) =>
    postgres(at, {
      max,
      ...(new URL(at).username ? {} : { username: defaultPgUser() }),
      onnotice: () => {},
      ...(pooled ? { prepare: false } : {}),
      connection: {
        // JIT compiles a plan costed above 100k — the reports' — taking 0.5–2 s to save ~0.1 s.
        // PgBouncer refuses unknown start-up parameters: behind it, `ALTER DATABASE … SET jit = off`.
        ...(pooled ? {} : { jit: 'off' }),
        ...(searchPath ? { search_path: searchPath } : {}),
      },
    });
  const client = connect(url, pool, Boolean(listenUrl));
  // Cache invalidations between instances; postgres.js listens on a connection of its own.
  const listener = listenUrl ? connect(listenUrl, 1, false) : client;
  const db = drizzle(client, { schema: pgSchema });
  const channel: RemoteChannel = {
    notify: async (payload) => {
      await client.notify(CACHE_CHANNEL, payload);
    },
    listen: async (onPayload) => {
      const { unlisten } = await listener.listen(CACHE_CHANNEL, onPayload);
      return unlisten;
    },
  };
  const close = async () => {
    await Promise.all([client.end({ timeout: 5 }), listener !== client && listener.end({ timeout: 5 })]);
  };
  // The schema is part of where the data lives: clinics (or test files) in schemas of one database
  // are told apart, e.g. by the worker ids held in this process (jobs/instance.ts).
  const location = searchPath ? `${redactUrl(url)} (schema ${searchPath})` : redactUrl(url);
  return wrapPostgres(db, location, close, channel);
}

/**
 * Wraps a drizzle PostgreSQL database (postgres.js, or PGlite in tests) as a `Db`.
 * Exported for testing/, which runs the PostgreSQL dialect on PGlite when no server is set.
 */
export function wrapPostgres(
  db: { transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> },
  location: string,
  close: () => Promise<void>,
  channel?: RemoteChannel,
): Db {
  const bus = cacheBus(channel);
  const tables = pgSchema as unknown as Schema;
  const reader: DbCtx = {
    db: db as unknown as Queryable,
    t: tables,
    dialect: 'postgres',
    afterCommit: queueMicrotask,
  };
  const inTx = new AsyncLocalStorage<DbCtx>();
  let closing: Promise<void> | undefined;
  const observers: TxObserver[] = [];
  return {
    dialect: 'postgres',
    location,
    reader,
    cacheBus: bus,
    observe: (observer) => observers.push(observer),
    tx<T>(fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
      const outer = inTx.getStore();
      if (outer) return fn(outer);
      const hooks: (() => void)[] = [];
      const asked = performance.now();
      return db
        .transaction((tx) => {
          const waited = performance.now() - asked;
          for (const o of observers) o.waited(waited);
          const ctx: DbCtx = {
            db: tx as Queryable,
            t: tables,
            dialect: 'postgres',
            afterCommit: (f) => hooks.push(f),
          };
          return inTx.run(ctx, () => fn(ctx));
        })
        .then((value) => {
          for (const hook of hooks) queueMicrotask(hook);
          return value;
        });
    },
    close: () => {
      closing ??= bus.close().then(close);
      return closing;
    },
  };
}

/** The NOTIFY channel of cache invalidations (db/cache-bus.ts). */
const CACHE_CHANNEL = 'clinicbox_cache';

/**
 * The user for a URL without one, as libpq would pick it. Bun's os.userInfo() answers "unknown"
 * when $USER is unset (services, CI), so fail with an actionable message rather than connect as that.
 */
function defaultPgUser(): string {
  const user = process.env.PGUSER || process.env.USER || process.env.LOGNAME || userInfo().username;
  if (!user || user === 'unknown') {
    throw new Error(
      '--database-url has no user and none can be found: put it in the URL, postgres://USER@host:5432/db',
    );
  }
  return user;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
