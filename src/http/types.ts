import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { AssetSource } from './assets.ts';

/** What the HTTP layer needs from app.ts; route modules close over the parts they use. */
export interface HttpDeps {
  version: string;
  log: Logger;
  clock: Clock;
  db: Db;
  assets: AssetSource;
}

/** Per-request context variables (typed `c.get(...)`). */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
  };
}
