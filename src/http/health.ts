import { Hono } from 'hono';
import { ping } from '../db/client.ts';
import { readMigrationStatus } from '../db/migrate.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * Liveness and readiness for load balancers and the binary smoke test.
 * /healthz: the process answers. /readyz: the database answers and every migration is applied.
 */
export function healthRoutes(deps: Pick<HttpDeps, 'db' | 'version'>) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/readyz', async (c) => {
    if (!(await ping(deps.db))) return c.json({ status: 'unavailable', reason: 'database unreachable' }, 503);
    const status = await readMigrationStatus(deps.db);
    if (status.pending.length > 0 || status.unknown.length > 0) {
      return c.json(
        { status: 'unavailable', reason: 'migrations not applied', pending: status.pending },
        503,
      );
    }
    return c.json({ status: 'ready', database: deps.db.dialect });
  });
  return app;
}
