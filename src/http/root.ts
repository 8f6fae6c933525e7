import { Hono } from 'hono';
import type { RouteKit } from './routes.ts';
import type { AppEnv } from './types.ts';

/** The site's bare addresses: `/` opens the patient app; the favicon; `/staff/` is `/staff`. */
export function rootRoutes(_deps: unknown, { authorize }: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get('/', authorize('public'), (c) => c.redirect('/app/'));
  app.get('/favicon.ico', authorize('public'), (c) => c.redirect('/static/favicon.svg', 301));
  // A module mounted at /staff cannot name /staff/ (its '/' is /staff itself).
  app.get('/staff/', authorize('public'), (c) => c.redirect('/staff', 301));
  return app;
}
