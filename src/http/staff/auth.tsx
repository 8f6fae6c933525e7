import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  LinkInvalidPage,
  RecoveryCodesPage,
  SecondFactorPage,
  SetPasswordPage,
  SetupPage,
  SignInPage,
  TotpSetupPage,
} from '../../../views/pages/staff/auth.tsx';
import {
  SsoError,
  type SsoFlow,
  type StaffAccount,
  totpQrSvg,
  totpUri,
} from '../../domain/accounts/index.ts';
import type { Actor } from '../../domain/audit/index.ts';
import { AppError, forbidden, isAppError, notFound } from '../../lib/errors.ts';
import { createFailureTracker, createRateLimiter } from '../../lib/rate-limit.ts';
import { clientIp, rateLimit } from '../middleware/rate-limit.ts';
import {
  type Authorizer,
  clearSessionCookie,
  type RoutePolicy,
  redirect,
  safeNext,
  setSessionCookie,
} from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { relyingParty } from './home.tsx';

/**
 * Signing in and out, the second factor, first-run setup and set-password links.
 * Wrong password, unknown account or deactivated account: one message, the same scrypt work.
 */
const GENERIC_FAILURE = 'That email and password do not match an active account.';
const NEEDS_TLS =
  'Sign-in over plain HTTP is only allowed on this computer. Start Clinicbox with --tls-cert and --tls-key, or put it behind HTTPS.';

export function staffAuthRoutes(deps: HttpDeps, authorize: (p: RoutePolicy) => Authorizer) {
  const app = new Hono<AppEnv>();
  const { accounts, sessions } = deps.staff;
  const perIp = createRateLimiter({ name: 'staff-sign-in-ip', max: 10, windowMs: 60_000 });
  const perAccount = createFailureTracker({
    name: 'staff-sign-in-account',
    max: 100,
    windowMs: 3_600_000,
    baseDelayMs: 500,
    maxDelayMs: 5_000,
  });
  const signInLimit = rateLimit(perIp, (c) => (c.req.method === 'POST' ? clientIp(c) : null));
  const signInLimitGet = rateLimit(perIp, (c) => clientIp(c));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const actorOf = (c: Context<AppEnv>, account?: Pick<StaffAccount, 'id'> | null): Actor => ({
    type: account ? 'staff' : 'system',
    id: account?.id ?? null,
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
    requestId: c.get('requestId'),
  });
  const form = async (c: Context<AppEnv>) => {
    const body = await c.req.parseBody();
    return (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  };
  const lifetimeSeconds = Math.floor(deps.staff.absoluteMs / 1000);

  /** Starts a session (ending the browser's previous one: a new token at every sign-in). */
  async function signIn(
    c: Context<AppEnv>,
    account: StaffAccount,
    mfaVerified: boolean,
    method = 'password',
  ) {
    const names = c.get('cookies');
    if (!names) throw new AppError('tls_required', NEEDS_TLS, { status: 403 });
    const previous = c.get('staff');
    if (previous) await sessions.revoke(previous.account.id, previous.session.id);
    const { token } = await sessions.start(account.id, {
      mfaVerified,
      ip: clientIp(c),
      userAgent: c.req.header('user-agent') ?? null,
    });
    setSessionCookie(c, names, token, lifetimeSeconds);
    await deps.audit.recordRead(actorOf(c, account), {
      action: mfaVerified ? 'staff.sign-in' : 'staff.sign-in-password',
      entity: 'staff_account',
      entityId: account.id,
      details: { method },
    });
  }
  const hasPasskey = async (accountId: string) => (await deps.staff.passkeys.list(accountId)).length > 0;
  /** Where a password sign-in goes next: the second factor, its set-up, or (null) straight in. */
  const afterPassword = async (account: StaffAccount) => {
    if (account.mfaEnrolledAt) return '/staff/login/code';
    if (!deps.staff.mfaRequired) return null;
    return (await hasPasskey(account.id)) ? '/staff/login/code' : '/staff/setup/totp';
  };

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

  // Adding a passkey: from the account page, or instead of an authenticator app while the second
  // factor is still to be set up (then, like confirming TOTP, it completes the sign-in).
  /**
   * A half-signed-in session (password only) may add a passkey only as the account's very first
   * second factor; otherwise someone who learnt the password could plant one and keep it.
   */
  const mayAddPasskey = async (c: Context<AppEnv>) => {
    const { account, session } = c.get('staff')!;
    if (session.mfaVerified) return;
    if (account.mfaEnrolledAt || (await hasPasskey(account.id))) {
      throw forbidden('Confirm it’s you with your second factor first.');
    }
  };
  app.post('/staff/account/passkeys/options', authorize('password'), async (c) => {
    await mayAddPasskey(c);
    return c.json(
      await deps.staff.passkeys.registrationOptions(
        c.get('staff')!.account,
        relyingParty(c, deps.staff.baseUrl),
      ),
    );
  });
  app.post('/staff/account/passkeys', authorize('password'), signInLimit, async (c) => {
    const { account, session } = c.get('staff')!;
    await mayAddPasskey(c);
    const body = z
      .object({
        name: z.string().max(200),
        password: z.string().max(1000).optional(),
        response: z.record(z.string(), z.unknown()),
      })
      .parse(await c.req.json());
    // From the account page, a lasting credential needs the password again (an unlocked,
    // signed-in computer left alone for a minute must not be enough).
    if (session.mfaVerified && account.passwordHash) {
      const key = `pw:${account.id}`;
      const check = perAccount.check(key);
      if (!check.allowed)
        throw new AppError('rate_limited', 'Too many attempts. Try again later.', { status: 429 });
      perAccount.recordFailure(key);
      if (!(await accounts.authenticate({ email: account.email, password: body.password ?? '' }))) {
        throw new AppError('wrong_password', 'Your password is not right.', { status: 403 });
      }
      perAccount.recordSuccess(key);
    }
    await deps.staff.passkeys.register(
      actorOf(c, account),
      account,
      body.response as never,
      relyingParty(c, deps.staff.baseUrl),
      body.name,
    );
    if (session.mfaVerified) return c.json({ redirect: '/staff/account?notice=passkey-added' }, 201);
    await signIn(c, account, true, 'passkey-enrolled');
    return c.json({ redirect: '/staff' }, 201);
  });

  // Passwordless sign-in with a passkey (user verification on the device: both factors at once).
  app.post('/staff/login/passkey/options', authorize('public'), signInLimit, async (c) =>
    c.json(await deps.staff.passkeys.signInOptions(relyingParty(c, deps.staff.baseUrl))),
  );
  app.post('/staff/login/passkey', authorize('public'), signInLimit, async (c) => {
    if (!c.get('cookies')) throw new AppError('tls_required', NEEDS_TLS, { status: 403 });
    const account = await deps.staff.passkeys.signIn(await c.req.json(), relyingParty(c, deps.staff.baseUrl));
    await signIn(c, account, true, 'passkey');
    return c.json({ redirect: safeNext(c.req.query('next')) });
  });

  // Single sign-on: to the provider with PKCE, state and nonce kept in a short-lived HttpOnly cookie.
  const origin = (c: Context<AppEnv>) => deps.staff.baseUrl.replace(/\/$/, '') || new URL(c.req.url).origin;
  const flowCookie = (c: Context<AppEnv>) => (c.get('cookies')?.secure ? '__Host-cb_sso' : 'cb_sso');
  app.get('/staff/login/sso', authorize('public'), signInLimitGet, async (c) => {
    const sso = deps.staff.sso;
    const names = c.get('cookies');
    if (!sso) throw notFound('Single sign-on');
    if (!names) return c.html(SignInPage({ csrf: c.get('csrf'), error: NEEDS_TLS }), 403);
    try {
      const { url, flow } = await sso.start(
        `${origin(c)}/staff/login/sso/callback`,
        safeNext(c.req.query('next')),
      );
      setCookie(c, flowCookie(c), Buffer.from(JSON.stringify(flow)).toString('base64url'), {
        path: '/',
        httpOnly: true,
        secure: names.secure,
        sameSite: 'Lax',
        maxAge: 600,
      });
      return c.redirect(url.href, 302);
    } catch (e) {
      if (e instanceof SsoError)
        return c.html(SignInPage({ csrf: c.get('csrf'), error: e.message, sso: true }), 502);
      throw e;
    }
  });

  app.get('/staff/login/sso/callback', authorize('public'), signInLimitGet, async (c) => {
    const sso = deps.staff.sso;
    if (!sso) throw notFound('Single sign-on');
    const raw = getCookie(c, flowCookie(c));
    deleteCookie(c, flowCookie(c), { path: '/', secure: c.get('cookies')?.secure ?? false });
    const fail = (error: string, status: 401 | 403 | 502) =>
      c.html(SignInPage({ csrf: c.get('csrf'), error, sso: true }), status);
    let flow: SsoFlow;
    try {
      flow = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString('utf8')) as SsoFlow;
      if (!flow.state || !flow.verifier || !flow.nonce) throw new Error('incomplete');
    } catch {
      return fail('The sign-in took too long or was started in another browser. Please try again.', 401);
    }
    const callback = new URL(`${origin(c)}${c.req.path}${new URL(c.req.url).search}`);
    let email: string;
    try {
      email = await sso.finish(callback, flow);
    } catch (e) {
      if (e instanceof SsoError) return fail(e.message, 401);
      throw e;
    }
    const account = await accounts.findActiveByEmail(email);
    if (!account) {
      await deps.audit.recordRead(actorOf(c), { action: 'staff.sso-unknown', entity: 'staff_account' });
      return fail(
        'No active staff account uses the email your organisation confirmed. Ask an administrator to invite you.',
        403,
      );
    }
    // The provider did the strong authentication (its own MFA policy applies).
    await signIn(c, account, true, 'sso');
    return redirect(c, safeNext(flow.next));
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
      c.header('Retry-After', String(Math.ceil(check.retryAfterMs / 1000)));
      return fail('Too many failed attempts for this account. Try again later or ask an administrator.', 429);
    }
    // Counted before checking, so parallel guesses cannot all pass the check at once.
    perAccount.recordFailure(email);
    if (check.delayMs) await sleep(check.delayMs);
    const account = await accounts.authenticate({ email, password: field('password') });
    if (!account) {
      await deps.audit.recordRead(actorOf(c), { action: 'staff.sign-in-failed', entity: 'staff_account' });
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
    if (!check.allowed)
      return c.html(
        SecondFactorPage({
          csrf: c.get('csrf'),
          totp: true,
          next,
          error: 'Too many wrong codes. Try again later.',
        }),
        429,
      );
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
    const secret = await accounts.beginTotp(staff.account.id, staff.session.id);
    const uri = totpUri({ secret, accountEmail: staff.account.email, issuer: 'Clinicbox' });
    return c.html(
      TotpSetupPage({ csrf: c.get('csrf'), qrSvg: await totpQrSvg(uri), secret, error }),
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
      const account = await accounts.completeSetup(actorOf(c), token, input);
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
      await accounts.setPasswordWithLink(actorOf(c), token, field('password'));
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
    await sessions.revoke(staff.account.id, staff.session.id);
    const names = c.get('cookies');
    if (names) clearSessionCookie(c, names);
    await deps.audit.recordRead(actorOf(c, staff.account), {
      action: 'staff.sign-out',
      entity: 'staff_account',
      entityId: staff.account.id,
    });
    return redirect(c, '/staff/login');
  });

  return app;
}
