import { Hono } from 'hono';
import { AdminHomePage } from '../../../views/pages/staff/admin.tsx';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** `/staff/admin`: the way to staff members, the job queue, the message log and the audit log. */
export function staffAdminRoutes(_deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get('/', kit.authorize('staff.manage'), (c) => c.html(AdminHomePage({ nav: kit.nav(c) })));
  return app;
}
