import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SignInPage } from '../../../../views/pages/staff/auth.tsx';
import { SsoError, type SsoFlow } from '../../../domain/accounts/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { actorOf, safeNext } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { NEEDS_TLS, type SignIn } from '../sign-in.ts';
import { continueHere } from './continue-here.ts';

/** `/staff/login/sso`: single sign-on with the clinic's OpenID Connect provider. */
export function staffSsoRoutes(deps: HttpDeps, kit: RouteKit, signInKit: SignIn) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  const signInLimitGet = signInKit.limitGet;
  const signIn = signInKit.start;
  // Single sign-on: to the provider with PKCE, state and nonce kept in a short-lived HttpOnly cookie.
  const origin = (c: Context<AppEnv>) => deps.staff.baseUrl || new URL(c.req.url).origin;
  const flowCookie = (c: Context<AppEnv>) => (c.get('cookies')?.secure ? '__Host-cb_sso' : 'cb_sso');
  app.get('/', authorize('public'), signInLimitGet, async (c) => {
    const sso = deps.staff.sso;
    const names = c.get('cookies');
    if (!sso) throw notFound('Single sign-on');
    if (!names) return c.html(SignInPage({ csrf: c.get('csrf'), error: NEEDS_TLS }), 403);
    try {
      const { url, flow } = await sso.start(
        `${origin(c)}/staff/login/sso/callback`,
        safeNext(c.req.query('next')),
        c.req.query('again') === '1', // confirming it's them: the provider asks for its login anew
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

  app.get('/callback', authorize('public'), signInLimitGet, async (c) => {
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
    let providerMfa: boolean;
    let authTime: Date | null;
    try {
      ({ email, mfa: providerMfa, authTime } = await sso.finish(callback, flow));
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
    // The provider's word counts as a second factor only when its ID token says so (amr);
    // otherwise single sign-on is a first factor, like a password: the same second step follows.
    const step = providerMfa ? null : await signInKit.secondStep(account);
    // The session's proof of who they are dates from the provider's check, not from now: a silent
    // sign-in on a computer left unlocked proves nothing (signing in again to confirm asks anew).
    await signIn(c, account, step === null, 'sso', authTime);
    const next = safeNext(flow.next);
    return continueHere(c, step ? `${step}?next=${encodeURIComponent(next)}` : next);
  });

  return app;
}
