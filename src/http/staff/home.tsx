import type { Context } from 'hono';
import { Hono } from 'hono';
import type { StaffNavProps } from '../../../views/layouts/staff.tsx';
import { AccountPage, ComingSoonPage, TodayPage } from '../../../views/pages/staff/home.tsx';
import { can } from '../../domain/accounts/index.ts';
import { notFound } from '../../lib/errors.ts';
import { type Authorizer, clearSessionCookie, type RoutePolicy, redirect } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** The staff app shell: Today, the sections to come, and the member's own account. */
export function navOf(c: Context<AppEnv>): StaffNavProps {
  const { account } = c.get('staff')!;
  return {
    name: account.name,
    role: account.role,
    csrf: c.get('csrf'),
    current: c.req.path,
    canAdmin: can(account.role, 'settings.manage'),
  };
}

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export function staffHomeRoutes(deps: HttpDeps, authorize: (p: RoutePolicy) => Authorizer) {
  const app = new Hono<AppEnv>();
  app.get('/staff', authorize('staff'), (c) => c.html(TodayPage({ nav: navOf(c) })));
  app.get('/staff/', authorize('public'), (c) => c.redirect('/staff', 301));

  for (const [path, title, policy] of [
    ['/staff/calendar', 'Calendar', 'staff'],
    ['/staff/patients', 'Patients', 'patients.read'],
    ['/staff/inbox', 'Inbox', 'staff'],
    ['/staff/settings', 'Settings', 'settings.manage'],
  ] as const) {
    app.get(path, authorize(policy), (c) => c.html(ComingSoonPage({ nav: navOf(c), title })));
  }

  app.get('/staff/account', authorize('staff'), async (c) => {
    const { account, session } = c.get('staff')!;
    const list = await deps.staff.sessions.list(account.id);
    return c.html(
      AccountPage({
        nav: navOf(c),
        email: account.email,
        mfa: Boolean(account.mfaEnrolledAt),
        notice: c.req.query('notice') === 'revoked' ? 'That device is signed out.' : undefined,
        sessions: list.map((s) => ({
          id: s.id,
          current: s.id === session.id,
          createdAt: fmt(s.createdAt),
          lastSeenAt: fmt(s.lastSeenAt),
          ip: s.ip,
          userAgent: s.userAgent,
        })),
      }),
    );
  });

  app.post('/staff/account/sessions/:id/revoke', authorize('staff'), async (c) => {
    const { account, session } = c.get('staff')!;
    const id = c.req.param('id');
    if (!(await deps.staff.sessions.revoke(account.id, id))) throw notFound('That session');
    if (id === session.id) {
      const names = c.get('cookies');
      if (names) clearSessionCookie(c, names);
      return redirect(c, '/staff/login');
    }
    return redirect(c, '/staff/account?notice=revoked');
  });
  return app;
}
