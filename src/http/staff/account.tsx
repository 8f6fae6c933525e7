import { type Context, Hono } from 'hono';
import { AccountPage, type AccountProps } from '../../../views/pages/staff/account.tsx';
import { RecoveryCodesPage } from '../../../views/pages/staff/auth.tsx';
import { hasRecentProof } from '../../domain/accounts/index.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { createFailureTracker, createRateLimiter } from '../../lib/rate-limit.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { clientIp, rateLimit, setRetryAfter } from '../middleware/rate-limit.ts';
import { actorOf, clearSessionCookie, redirect } from '../middleware/staff-auth.ts';
import { recentProof } from '../middleware/step-up.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { clinicDateTime } from './clinic-time.ts';

const notices: Record<string, string> = {
  revoked: 'That device is signed out.',
  'passkey-added': 'Your passkey is added. You can sign in with it now.',
  'passkey-removed': 'The passkey is removed.',
  'password-changed': 'Your password is changed. Your other devices are signed out.',
  'alerts-saved': 'Your online booking alerts are saved.',
};

/**
 * `/staff/account`: the member's own account: password, recovery codes, where they are signed
 * in, their calendar feed (practitioners) and their online booking alerts.
 */
export function staffAccountRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const { authorize } = kit;
  const proven = recentProof(deps.clock, deps.staff.baseUrl);
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

  const accountPage = async (
    c: Context<AppEnv>,
    extra: Pick<AccountProps, 'passwordError'> & { feedUrl?: string } = {},
    status: 200 | 422 = 200,
  ) => {
    const { account, session } = c.get('staff')!;
    const { feedUrl, ...rest } = extra;
    const [sessions, passkeys, hasFeed, messageAlert, clinic] = await Promise.all([
      deps.staff.sessions.list(account.id),
      deps.staff.passkeys.list(account.id),
      account.role === 'practitioner' ? deps.calendarFeeds.has(account.id) : undefined,
      deps.messaging.staffAlert(actorOf(c)),
      deps.clinic.get(),
    ]);
    // In the clinic's time, as every other staff page reads (it was UTC, unlabelled for passkeys).
    const fmt = (d: Date) => clinicDateTime(d, clinic.timeZone);
    return c.html(
      AccountPage({
        nav: kit.nav(c),
        email: account.email,
        mfa: Boolean(account.mfaEnrolledAt),
        notice: notices[c.req.query('notice') ?? ''],
        passkeys: passkeys.map((p) => ({
          id: p.id,
          name: p.name,
          createdAt: fmt(p.createdAt),
          lastUsedAt: p.lastUsedAt ? fmt(p.lastUsedAt) : 'never',
        })),
        sessions: sessions.map((s) => ({
          id: s.id,
          current: s.id === session.id,
          createdAt: fmt(s.createdAt),
          lastSeenAt: fmt(s.lastSeenAt),
          ip: s.ip,
          userAgent: s.userAgent,
        })),
        feed: hasFeed === undefined ? undefined : { exists: hasFeed, url: feedUrl },
        bookingAlerts: account.bookingAlerts,
        messageEmails: messageAlert.email,
        proofNeeded: !hasRecentProof(session, deps.clock.now()),
        ...rest,
      }),
      status,
    );
  };
  app.get('/', authorize('staff'), (c) => accountPage(c));

  app.post('/password', authorize('staff'), passwordLimit, async (c) => {
    const { account, session } = c.get('staff')!;
    const check = passwordFailures.check(account.id);
    if (!check.allowed) {
      setRetryAfter(c, check.retryAfterMs);
      throw new AppError('rate_limited', 'Too many attempts. Try again later.', { status: 429 });
    }
    passwordFailures.recordFailure(account.id); // counted first: parallel guesses cannot all pass
    const form = await readForm(c);
    return orRerender(
      async () => {
        await deps.staff.accounts.changePassword(
          actorOf(c),
          account.id,
          form.text('current'),
          form.text('password'),
          session.id,
        );
        passwordFailures.recordSuccess(account.id);
        return redirect(c, '/staff/account?notice=password-changed');
      },
      (r) => accountPage(c, { passwordError: r.error.message }, 422),
      (e) => e.status === 422,
    );
  });

  app.post('/alerts', authorize('staff'), async (c) => {
    const me = { ...actorOf(c), id: c.get('staff')!.account.id };
    await deps.notifications.staffAlerts.set(me, (await readForm(c)).text('bookingAlerts'));
    return redirect(c, '/staff/account?notice=alerts-saved');
  });

  // Issue 19: an email (never the text, never the patient) when a patient writes to my thread or the front desk's.
  app.post('/message-alerts', authorize('staff'), async (c) => {
    await deps.messaging.setStaffAlert(actorOf(c), { email: (await readForm(c)).checked('messageEmails') });
    return redirect(c, '/staff/account?notice=alerts-saved');
  });

  app.post('/calendar-feed', authorize('staff'), async (c) => {
    const url = await deps.calendarFeeds.issue(actorOf(c), c.get('staff')!.account.id);
    return accountPage(c, { feedUrl: url });
  });

  app.post('/recovery-codes', authorize('staff'), proven, async (c) => {
    const { account } = c.get('staff')!;
    return c.html(
      RecoveryCodesPage({ codes: await deps.staff.accounts.regenerateRecoveryCodes(actorOf(c), account.id) }),
    );
  });

  app.post('/sessions/:id/revoke', authorize('staff'), async (c) => {
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
