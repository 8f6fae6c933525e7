import { Hono } from 'hono';
import type { RouteKit } from './routes.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * `/healthz` and `/readyz` (mounted at the root: two addresses of their own). Liveness and readiness for load balancers and the binary smoke test.
 * /healthz: the process answers. /readyz: the database answers and every migration is applied.
 */
export function healthRoutes(deps: Pick<HttpDeps, 'readiness' | 'version'>, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.get('/healthz', authorize('public'), (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/readyz', authorize('public'), async (c) => {
    const r = await deps.readiness();
    if (!r.ready) return c.json({ status: 'unavailable', reason: r.reason, pending: r.pending }, 503);
    // Nothing about the database (which one, where): anyone may ask.
    return c.json({ status: 'ready' });
  });
  return app;
}
