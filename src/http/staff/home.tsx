import type { Context } from 'hono';
import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { RecoveryCodesPage } from '../../../views/pages/staff/auth.tsx';
import { AccountPage, TodayPage } from '../../../views/pages/staff/home.tsx';
import { can } from '../../domain/accounts/index.ts';
import { AppError, isAppError, notFound } from '../../lib/errors.ts';
import { createFailureTracker, createRateLimiter } from '../../lib/rate-limit.ts';
import { clientIp, rateLimit, setRetryAfter } from '../middleware/rate-limit.ts';
import { actorOf, clearSessionCookie, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
const notices: Record<string, string> = {
  revoked: 'That device is signed out.',
  'passkey-added': 'Your passkey is added. You can sign in with it now.',
  'passkey-removed': 'The passkey is removed.',
  'password-changed': 'Your password is changed. Your other devices are signed out.',
  'alerts-saved': 'Your online booking alerts are saved.',
};

export function staffHomeRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  // Guessing the current password from a stolen session is limited like signing in.
  const passwordLimit = rateLimit(
    createRateLimiter({ name: 'staff-password-ip', max: 10, windowMs: 60_000 }),
    (c) => clientIp(c),
  );
  const passwordFailures = createFailureTracker({
    name: 'staff-password-account',
    max: 20,
    windowMs: 3_600_000,
    baseDelayMs: 500,
    maxDelayMs: 5_000,
    now: () => deps.clock.now().getTime(),
  });
  app.get('/staff', authorize('staff'), async (c) => {
    const clinic = await deps.clinic.get();
    const day = DateTime.fromJSDate(deps.clock.now(), { zone: clinic.timeZone }).startOf('day');
    const account = c.get('staff')!.account;
    const seesDay = can(account.role, 'patients.read');
    const [entries, practitioners] = seesDay
      ? await Promise.all([
          deps.appointments.listRange(actorOf(c), {
            from: day.toJSDate(),
            to: day.plus({ days: 1 }).toJSDate(),
            // Practitioners see their own list; the front desk and admins see everyone's.
            ...(account.role === 'practitioner' ? { practitionerIds: [account.id] } : {}),
          }),
          deps.practitioners.list(),
        ])
      : [[], []];
    const nameOf = new Map(practitioners.map((p) => [p.accountId, p.profile?.displayName ?? p.name]));
    return c.html(
      TodayPage({
        nav: kit.nav(c),
        date: day.setLocale(clinic.locale).toLocaleString(DateTime.DATE_HUGE),
        canChange: can(account.role, 'appointments.book-own'),
        appointments: entries.map(({ appointment: a, patient, service }) => ({
          id: a.id,
          version: a.version,
          time: DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone }).toFormat('HH:mm'),
          patient: `${patient.firstName} ${patient.lastName}`,
          practitioner: nameOf.get(a.practitionerId) ?? '—',
          service: service.name,
          status: a.status,
        })),
      }),
    );
  });
  app.get('/staff/', authorize('public'), (c) => c.redirect('/staff', 301));

  const accountPage = async (
    c: Context<AppEnv>,
    extra: { passwordError?: string; feedUrl?: string } = {},
    status: 200 | 422 = 200,
  ) => {
    const { account, session } = c.get('staff')!;
    const list = await deps.staff.sessions.list(account.id);
    const { feedUrl, ...rest } = extra;
    const feed =
      account.role === 'practitioner'
        ? { exists: await deps.calendarFeeds.has(account.id), url: feedUrl }
        : undefined;
    return c.html(
      AccountPage({
        nav: kit.nav(c),
        email: account.email,
        mfa: Boolean(account.mfaEnrolledAt),
        notice: notices[c.req.query('notice') ?? ''],
        passkeys: (await deps.staff.passkeys.list(account.id)).map((p) => ({
          id: p.id,
          name: p.name,
          createdAt: fmt(p.createdAt),
          lastUsedAt: p.lastUsedAt ? fmt(p.lastUsedAt) : 'never',
        })),
        sessions: list.map((s) => ({
          id: s.id,
          current: s.id === session.id,
          createdAt: fmt(s.createdAt),
          lastSeenAt: fmt(s.lastSeenAt),
          ip: s.ip,
          userAgent: s.userAgent,
        })),
        feed,
        bookingAlerts: account.bookingAlerts,
        ...rest,
      }),
      status,
    );
  };
  app.get('/staff/account', authorize('staff'), (c) => accountPage(c));

  app.post('/staff/account/password', authorize('staff'), passwordLimit, async (c) => {
    const { account, session } = c.get('staff')!;
    const check = passwordFailures.check(account.id);
    if (!check.allowed) {
      setRetryAfter(c, check.retryAfterMs);
      throw new AppError('rate_limited', 'Too many attempts. Try again later.', { status: 429 });
    }
    passwordFailures.recordFailure(account.id); // counted first: parallel guesses cannot all pass
    const body = await c.req.parseBody();
    const actor = actorOf(c);
    try {
      await deps.staff.accounts.changePassword(
        actor,
        account.id,
        String(body.current ?? ''),
        String(body.password ?? ''),
        session.id,
      );
    } catch (e) {
      if (isAppError(e) && e.status === 422) return accountPage(c, { passwordError: e.message }, 422);
      throw e;
    }
    passwordFailures.recordSuccess(account.id);
    return redirect(c, '/staff/account?notice=password-changed');
  });

  app.post('/staff/account/calendar-feed', authorize('staff'), async (c) => {
    const { account } = c.get('staff')!;
    const url = await deps.calendarFeeds.issue(actorOf(c), account.id);
    return accountPage(c, { feedUrl: url });
  });

  app.post('/staff/account/recovery-codes', authorize('staff'), async (c) => {
    const { account } = c.get('staff')!;
    const actor = actorOf(c);
    return c.html(
      RecoveryCodesPage({ codes: await deps.staff.accounts.regenerateRecoveryCodes(actor, account.id) }),
    );
  });

  app.post('/staff/account/passkeys/:id/delete', authorize('staff'), async (c) => {
    const { account } = c.get('staff')!;
    await deps.staff.passkeys.remove(actorOf(c), account.id, c.req.param('id'));
    return redirect(c, '/staff/account?notice=passkey-removed');
  });

  app.post('/staff/account/sessions/:id/revoke', authorize('staff'), async (c) => {
    const { account, session } = c.get('staff')!;
    const id = c.req.param('id');
    if (!(await deps.staff.accounts.endSession(actorOf(c), account.id, id, 'staff.session-revoke')))
      throw notFound('That session');
    if (id === session.id) {
      const names = c.get('cookies');
      if (names) clearSessionCookie(c, names);
      return redirect(c, '/staff/login');
    }
    return redirect(c, '/staff/account?notice=revoked');
  });
  return app;
}
