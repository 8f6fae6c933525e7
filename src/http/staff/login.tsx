import { Hono } from 'hono';
import { SecondFactorPage, SignInPage } from '../../../views/pages/staff/auth.tsx';
import { SecondFactorLocked } from '../../domain/accounts/index.ts';
import { readForm } from '../kit/form.ts';
import { setRetryAfter } from '../middleware/rate-limit.ts';
import { actorOf, redirect, safeNext } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { NEEDS_TLS, orLocked, type SignIn } from './sign-in.ts';

/**
 * `/staff/login`: signing in with a password, then the second factor (`/code`). Wrong password,
 * unknown account or deactivated account: one message, the same scrypt work.
 */
const GENERIC_FAILURE = 'That email and password do not match an active account.';
/** Why the sign-in page is shown: the member signed out, or their session ended on its own. */
const SIGNED_OUT = 'You are signed out.';
const SESSION_ENDED =
  'Your session ended: it was left unused for a while, or was signed out from another place. Sign in to go back to the page you were on.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function staffLoginRoutes(deps: HttpDeps, { authorize }: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  const { perAccount, limit } = signIn;

  app.get('/', authorize('public'), (c) => {
    const staff = c.get('staff');
    if (staff?.session.mfaVerified) return c.redirect(safeNext(c.req.query('next')), 303);
    return c.html(
      SignInPage({
        csrf: c.get('csrf'),
        next: c.req.query('next'),
        sso: Boolean(deps.staff.sso),
        ...(c.get('cookies') ? {} : { notice: NEEDS_TLS }),
        status: c.req.query('signed-out') ? SIGNED_OUT : c.req.query('ended') ? SESSION_ENDED : undefined,
      }),
    );
  });

  app.post('/', authorize('public'), limit, async (c) => {
    const form = await readForm(c);
    const email = form.text('email').trim().toLowerCase();
    const next = c.req.query('next');
    const fail = (error: string, status: 401 | 403 | 429 = 401) =>
      c.html(SignInPage({ csrf: c.get('csrf'), error, email, next }), status);
    if (!c.get('cookies')) return fail(NEEDS_TLS, 403);
    const check = perAccount.check(email);
    if (!check.allowed) {
      setRetryAfter(c, check.retryAfterMs);
      return fail('Too many failed attempts for this account. Try again later or ask an administrator.', 429);
    }
    // Counted before checking, so parallel guesses cannot all pass the check at once.
    perAccount.recordFailure(email);
    if (check.delayMs) await sleep(check.delayMs);
    const account = await accounts.authenticate({ email, password: form.text('password') });
    if (!account) {
      await deps.audit.recordRead(actorOf(c, null), {
        action: 'staff.sign-in-failed',
        entity: 'staff_account',
      });
      return fail(GENERIC_FAILURE);
    }
    perAccount.recordSuccess(email);
    const step = await signIn.secondStep(account);
    await signIn.start(c, account, step === null);
    return redirect(c, step ? `${step}?next=${encodeURIComponent(safeNext(next))}` : safeNext(next));
  });

  app.get('/code', authorize('password'), async (c) => {
    const staff = c.get('staff')!;
    if (staff.session.mfaVerified) return c.redirect('/staff', 303);
    if (!staff.account.mfaEnrolledAt && !(await signIn.hasPasskey(staff.account.id)))
      return c.redirect('/staff/setup/totp', 303);
    return c.html(
      SecondFactorPage({
        csrf: c.get('csrf'),
        next: c.req.query('next'),
        totp: Boolean(staff.account.mfaEnrolledAt),
      }),
    );
  });

  app.post('/code', authorize('password'), limit, async (c) => {
    const staff = c.get('staff')!;
    const form = await readForm(c);
    const next = c.req.query('next');
    const fail = (error: string, status: 401 | 429) =>
      c.html(SecondFactorPage({ csrf: c.get('csrf'), totp: true, next, error }), status);
    // Wrong codes are counted on the account, in the database (the domain locks codes after ten).
    const method = await orLocked(c, () =>
      accounts.verifySecondFactor(staff.account.id, form.text('code'), actorOf(c, staff.account)),
    );
    if (method instanceof SecondFactorLocked) return fail(method.message, 429);
    if (!method) {
      await deps.audit.recordRead(actorOf(c, staff.account), {
        action: 'staff.second-factor-failed',
        entity: 'staff_account',
        entityId: staff.account.id,
      });
      return fail('That code is not right. Try the next code from your app.', 401);
    }
    await signIn.start(c, staff.account, true, method);
    return redirect(c, safeNext(next));
  });

  return app;
}
