import { Hono } from 'hono';
import { actorOf, clearSessionCookie, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** `/staff/logout`: ends this browser's session (also a half-finished sign-in). */
export function staffLogoutRoutes(deps: HttpDeps, { authorize }: RouteKit) {
  const app = new Hono<AppEnv>();
  app.post('/', authorize('password'), async (c) => {
    const staff = c.get('staff')!;
    await deps.staff.accounts.endSession(
      actorOf(c, staff.account),
      staff.account.id,
      staff.session.id,
      'staff.sign-out',
    );
    const names = c.get('cookies');
    if (names) clearSessionCookie(c, names);
    return redirect(c, '/staff/login?signed-out=1');
  });
  return app;
}
