import type { Config } from '../config/index.ts';
import type { ValidSession } from '../domain/accounts/index.ts';
import type { AreaServices } from '../domain/areas.ts';
import type { PatientSession } from '../domain/patients/index.ts';
import type { JobAdmin } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { AssetSource } from './assets.ts';
import type { Metrics } from './metrics.ts';
import type { CookieNames } from './middleware/staff-auth.ts';

/**
 * What the HTTP layer is given by app.ts: the services of every area (so a new area's services
 * reach its routes with no change here), and a few things of the core — never the database.
 */
export type HttpDeps = AreaServices & {
  config: Config;
  version: string;
  log: Logger;
  clock: Clock;
  /** Whether this instance can serve (database reachable, migrations applied). */
  readiness: () => Promise<Readiness>;
  assets: AssetSource;
  jobs: JobAdmin;
  /** Prometheus metrics (http/metrics.ts), or null when not asked for. */
  metrics: Metrics | null;
};

/** Per-request context variables (typed `c.get(...)`). */
export interface AppEnv {
  /** From the server (listen.ts): the peer's address. Absent under app.request() in tests. */
  Bindings: { ip?: string | undefined };
  Variables: {
    requestId: string;
    /** The client's address (middleware/rate-limit.ts resolveClientIp); read it with clientIp(c). */
    clientIp: string;
    log: Logger;
    /** /staff only: the signed-in member, or null. */
    staff: ValidSession | null;
    /** /staff only: this browser's CSRF token. */
    csrf: string;
    /** /api only: the patient session (verified address; `patientId` null until registration), or null. */
    patient: PatientSession | null;
    /** /staff only: cookie names for this request, or null when sign-in is refused (plain HTTP on a LAN). */
    cookies: CookieNames | null;
    /** /api only: the language errors are answered in (Accept-Language; en or fr). */
    language: string;
    /** /staff, admins only: the warning that backups are missing or older than 48 hours. */
    backupWarning: string | undefined;
  };
}

/** The readiness answer app.ts provides (http/ does not touch the database itself). */
export interface Readiness {
  ready: boolean;
  database: string;
  reason?: string | undefined;
  pending?: string[] | undefined;
}
