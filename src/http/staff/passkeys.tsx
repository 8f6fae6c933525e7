import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError, forbidden } from '../../lib/errors.ts';
import { setRetryAfter } from '../middleware/rate-limit.ts';
import { actorOf, safeNext } from '../middleware/staff-auth.ts';
import { relyingParty } from '../relying-party.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { NEEDS_TLS, type SignIn } from './sign-in.ts';

/**
 * Passkeys (WebAuthn): adding one — from the account page, or as the first second factor — and
 * passwordless sign-in with one.
 */
export function staffPasskeyRoutes(deps: HttpDeps, kit: RouteKit, signInKit: SignIn) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  const { perAccount, limit: signInLimit, hasPasskey } = signInKit;
  const signIn = signInKit.start;
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
      if (!check.allowed) {
        setRetryAfter(c, check.retryAfterMs);
        throw new AppError('rate_limited', 'Too many attempts. Try again later.', { status: 429 });
      }
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

  return app;
}
