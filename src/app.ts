import type { Hono } from 'hono';
import packageJson from '../package.json' with { type: 'json' };
import type { Config } from './config/index.ts';
import { type Db, openDatabase } from './db/client.ts';
import { checkReadiness } from './db/readiness.ts';
import { type AssetSource, diskAssets } from './http/assets.ts';
import { createHttp } from './http/server.ts';
import type { AppEnv } from './http/types.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/log.ts';

export const version: string = packageJson.version;

/** Everything the app is built from, made once here and passed down; no globals. */
export interface Deps {
  config: Config;
  version: string;
  log: Logger;
  clock: Clock;
  db: Db;
  assets: AssetSource;
}

export interface App {
  deps: Deps;
  http: Hono<AppEnv>;
  /** The background worker; arrives with the job queue. */
  worker: null;
  start(): Promise<void>;
  /** Stops the worker (within the grace period) and closes the database. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  log?: Logger;
  clock?: Clock;
  assets?: AssetSource;
  /** An already open database (tests). */
  db?: Db;
}

/** Builds the whole application from a validated config. Does not listen or migrate. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const db =
    overrides.db ??
    (await openDatabase({
      url: config.databaseUrl,
      sqlite: { path: config.sqlitePath, synchronous: config.sqliteSynchronous },
    }));
  const deps: Deps = {
    config,
    version,
    log,
    clock: overrides.clock ?? systemClock,
    db,
    assets: overrides.assets ?? diskAssets(),
  };
  const http = createHttp({ ...deps, readiness: () => checkReadiness(db) });
  return {
    deps,
    http,
    worker: null,
    async start() {},
    async stop() {
      await db.close();
    },
  };
}
