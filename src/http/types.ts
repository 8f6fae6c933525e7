import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { AssetSource } from './assets.ts';

/** What the HTTP layer needs from app.ts; route modules close over the parts they use. */
export interface HttpDeps {
  version: string;
  log: Logger;
  clock: Clock;
  /** Whether this instance can serve (database reachable, migrations applied). */
  readiness: () => Promise<Readiness>;
  assets: AssetSource;
}

/** Per-request context variables (typed `c.get(...)`). */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
  };
}

/** The readiness answer app.ts provides (http/ does not touch the database itself). */
export interface Readiness {
  ready: boolean;
  database: string;
  reason?: string | undefined;
  pending?: string[] | undefined;
}
