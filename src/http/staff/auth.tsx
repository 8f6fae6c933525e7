import type { Context } from 'hono';
import { Hono } from 'hono';
import {
  LinkInvalidPage,
  RecoveryCodesPage,
  SecondFactorPage,
  SetPasswordPage,
  SetupPage,
  SignInPage,
  TotpSetupPage,
} from '../../../views/pages/staff/auth.tsx';
import { totpUri } from '../../domain/accounts/index.ts';
import { forbidden, isAppError } from '../../lib/errors.ts';
import { qrSvg } from '../../lib/qr.ts';
import { setRetryAfter } from '../middleware/rate-limit.ts';
import { actorOf, clearSessionCookie, redirect, safeNext } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { NEEDS_TLS, type SignIn } from './sign-in.ts';

/**
 * Signing in and out with a password, the second factor, first-run setup and set-password links.
 * Wrong password, unknown account or deactivated account: one message, the same scrypt work.
 */
const GENERIC_FAILURE = 'That email and password do not match an active account.';

export function staffAuthRoutes(deps: HttpDeps, kit: RouteKit, signInKit: SignIn) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  const { perAccount, limit: signInLimit, hasPasskey } = signInKit;
  const signIn = signInKit.start;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const form = async (c: Context<AppEnv>) => {
    const body = await c.req.parseBody();
    return (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  };
  const afterPassword = signInKit.secondStep;

  app.get('/staff/login', authorize('public'), (c) => {
    const staff = c.get('staff');
    if (staff?.session.mfaVerified) return c.redirect(safeNext(c.req.query('next')), 303);
    return c.html(
      SignInPage({
        csrf: c.get('csrf'),
        next: c.req.query('next'),
        sso: Boolean(deps.staff.sso),
        ...(c.get('cookies') ? {} : { notice: NEEDS_TLS }),
      }),
    );
  });

  app.post('/staff/login', authorize('public'), signInLimit, async (c) => {
    const field = await form(c);
    const email = field('email').trim().toLowerCase();
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
    const account = await accounts.authenticate({ email, password: field('password') });
    if (!account) {
      await deps.audit.recordRead(actorOf(c, null), {
        action: 'staff.sign-in-failed',
        entity: 'staff_account',
      });
      return fail(GENERIC_FAILURE);
    }
    perAccount.recordSuccess(email);
    const step = await afterPassword(account);
    await signIn(c, account, step === null);
    return redirect(c, step ? `${step}?next=${encodeURIComponent(safeNext(next))}` : safeNext(next));
  });

  app.get('/staff/login/code', authorize('password'), async (c) => {
    const staff = c.get('staff')!;
    if (staff.session.mfaVerified) return c.redirect('/staff', 303);
    if (!staff.account.mfaEnrolledAt && !(await hasPasskey(staff.account.id)))
      return c.redirect('/staff/setup/totp', 303);
    return c.html(
      SecondFactorPage({
        csrf: c.get('csrf'),
        next: c.req.query('next'),
        totp: Boolean(staff.account.mfaEnrolledAt),
      }),
    );
  });

  app.post('/staff/login/code', authorize('password'), signInLimit, async (c) => {
    const staff = c.get('staff')!;
    const field = await form(c);
    const key = `mfa:${staff.account.id}`;
    const check = perAccount.check(key);
    const next = c.req.query('next');
    if (!check.allowed) {
      setRetryAfter(c, check.retryAfterMs);
      return c.html(
        SecondFactorPage({
          csrf: c.get('csrf'),
          totp: true,
          next,
          error: 'Too many wrong codes. Try again later.',
        }),
        429,
      );
    }
    perAccount.recordFailure(key);
    if (check.delayMs) await sleep(check.delayMs);
    const method = await accounts.verifySecondFactor(staff.account.id, field('code'));
    if (!method) {
      await deps.audit.recordRead(actorOf(c, staff.account), {
        action: 'staff.second-factor-failed',
        entity: 'staff_account',
        entityId: staff.account.id,
      });
      return c.html(
        SecondFactorPage({
          csrf: c.get('csrf'),
          totp: true,
          next,
          error: 'That code is not right. Try the next code from your app.',
        }),
        401,
      );
    }
    perAccount.recordSuccess(key);
    await signIn(c, staff.account, true, method);
    return redirect(c, safeNext(next));
  });

  const totpPage = async (c: Context<AppEnv>, error?: string) => {
    const staff = c.get('staff')!;
    const secret = await accounts.beginTotp(actorOf(c, staff.account), staff.account.id, staff.session.id);
    const uri = totpUri({ secret, accountEmail: staff.account.email, issuer: 'Clinicbox' });
    return c.html(
      TotpSetupPage({ csrf: c.get('csrf'), qrSvg: await qrSvg(uri), secret, error }),
      error ? 422 : 200,
    );
  };

  /** A password-only session of an account with a passkey must use it, not set up a new factor. */
  const passkeyFirst = async (c: Context<AppEnv>) => {
    const { account, session } = c.get('staff')!;
    return !session.mfaVerified && (await hasPasskey(account.id));
  };
  app.get('/staff/setup/totp', authorize('password'), async (c) => {
    if (c.get('staff')!.account.mfaEnrolledAt) return c.redirect('/staff', 303);
    if (await passkeyFirst(c)) return c.redirect('/staff/login/code', 303);
    return totpPage(c);
  });

  app.post('/staff/setup/totp', authorize('password'), async (c) => {
    const staff = c.get('staff')!;
    if (await passkeyFirst(c)) throw forbidden('Confirm it’s you with your passkey first.');
    const field = await form(c);
    try {
      const codes = await accounts.confirmTotp(actorOf(c, staff.account), staff.account.id, field('code'));
      await signIn(c, staff.account, true, 'totp-enrolled');
      return c.html(RecoveryCodesPage({ codes }));
    } catch (e) {
      if (isAppError(e) && e.code === 'validation_failed') return totpPage(c, e.message);
      throw e;
    }
  });

  app.get('/staff/setup', authorize('public'), async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await accounts.isLinkValid('setup', token)) || (await accounts.hasAdmin()))
      return c.html(LinkInvalidPage(), 410);
    return c.html(SetupPage({ csrf: c.get('csrf'), token }));
  });

  app.post('/staff/setup', authorize('public'), signInLimit, async (c) => {
    const token = c.req.query('token') ?? '';
    const field = await form(c);
    const input = { email: field('email'), name: field('name'), password: field('password') };
    if (!c.get('cookies'))
      return c.html(SetupPage({ csrf: c.get('csrf'), token, error: NEEDS_TLS, ...input }), 403);
    try {
      const account = await accounts.completeSetup(actorOf(c, null), token, input);
      const step = await afterPassword(account);
      await signIn(c, account, step === null);
      return redirect(c, step ?? '/staff');
    } catch (e) {
      if (isAppError(e) && e.code === 'link_invalid') return c.html(LinkInvalidPage(), 410);
      if (isAppError(e) && e.status === 422)
        return c.html(
          SetupPage({
            csrf: c.get('csrf'),
            token,
            error: e.issues?.[0]?.message ?? e.message,
            email: input.email,
            name: input.name,
          }),
          422,
        );
      throw e;
    }
  });

  app.get('/staff/set-password', authorize('public'), async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await accounts.isLinkValid('set-password', token))) return c.html(LinkInvalidPage(), 410);
    return c.html(SetPasswordPage({ csrf: c.get('csrf'), token }));
  });

  app.post('/staff/set-password', authorize('public'), signInLimit, async (c) => {
    const token = c.req.query('token') ?? '';
    const field = await form(c);
    try {
      await accounts.setPasswordWithLink(actorOf(c, null), token, field('password'));
      return c.html(
        SignInPage({ csrf: c.get('csrf'), notice: 'Your password is saved. Sign in with it now.' }),
      );
    } catch (e) {
      if (isAppError(e) && e.code === 'link_invalid') return c.html(LinkInvalidPage(), 410);
      if (isAppError(e) && e.status === 422)
        return c.html(SetPasswordPage({ csrf: c.get('csrf'), token, error: e.message }), 422);
      throw e;
    }
  });

  app.post('/staff/logout', authorize('password'), async (c) => {
    const staff = c.get('staff')!;
    await accounts.endSession(
      actorOf(c, staff.account),
      staff.account.id,
      staff.session.id,
      'staff.sign-out',
    );
    const names = c.get('cookies');
    if (names) clearSessionCookie(c, names);
    return redirect(c, '/staff/login');
  });

  return app;
}
