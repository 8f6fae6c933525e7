import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { hasRecentProof, reauthenticationRequired } from '../../../domain/accounts/index.ts';
import { AppError, forbidden } from '../../../lib/errors.ts';
import { readJson } from '../../kit/json.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import { recentProof } from '../../middleware/step-up.ts';
import { relyingParty } from '../../relying-party.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import type { SignIn } from '../sign-in.ts';

const passkeyInput = z.object({
  name: z.string().max(200),
  password: z.string().max(1000).optional(),
  response: z.record(z.string(), z.unknown()),
});

/**
 * `/staff/account/passkeys`: adding a passkey — from the account page, or instead of an
 * authenticator app while the second factor is still to be set up (then, like confirming TOTP,
 * it completes the sign-in) — and removing one.
 */
export function staffAccountPasskeyRoutes(deps: HttpDeps, { authorize }: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();
  const { accounts, passkeys } = deps.staff;
  /**
   * A half-signed-in session (password only) may add a passkey only as the account's very first
   * second factor; otherwise someone who learnt the password could plant one and keep it.
   */
  const mayAddPasskey = async (c: Context<AppEnv>) => {
    const { account, session } = c.get('staff')!;
    if (session.mfaVerified) return;
    if (account.mfaEnrolledAt || (await signIn.hasPasskey(account.id))) {
      throw forbidden('Confirm it’s you with your second factor first.');
    }
  };
  /**
   * From the account page, a lasting credential needs a proof of who the member is: the password
   * typed beside the button, or one given within the last 5 minutes (a member without a password,
   * signed in through single sign-on, confirms with their second factor or by signing in again).
   */
  const mayKeepPasskey = async (c: Context<AppEnv>, password: string | undefined) => {
    const { account, session } = c.get('staff')!;
    if (password && account.passwordHash) return confirmPassword(c, password);
    if (!hasRecentProof(session, deps.clock.now())) throw reauthenticationRequired();
  };
  /** The password typed beside the button (an unlocked, signed-in computer left alone for a minute must not be enough). */
  const confirmPassword = async (c: Context<AppEnv>, password: string) => {
    const { account } = c.get('staff')!;
    const right = await signIn.passwordCheck(c, account.id, () =>
      accounts.authenticate({ email: account.email, password }),
    );
    if (!right) throw new AppError('wrong_password', 'Your password is not right.', { status: 403 });
  };

  app.post('/options', authorize('password'), async (c) => {
    await mayAddPasskey(c);
    return c.json(
      await passkeys.registrationOptions(c.get('staff')!.account, relyingParty(c, deps.staff.baseUrl)),
    );
  });

  app.post('/', authorize('password'), signIn.limit, async (c) => {
    const { account, session } = c.get('staff')!;
    await mayAddPasskey(c);
    const body = await readJson(c, passkeyInput);
    if (session.mfaVerified) await mayKeepPasskey(c, body.password);
    await passkeys.register(
      actorOf(c, account),
      account,
      body.response as never,
      relyingParty(c, deps.staff.baseUrl),
      body.name,
    );
    if (session.mfaVerified) return c.json({ redirect: '/staff/account?notice=passkey-added' }, 201);
    await signIn.start(c, account, true, 'passkey-enrolled');
    return c.json({ redirect: '/staff' }, 201);
  });

  app.post('/:id/delete', authorize('staff'), recentProof(deps.clock, deps.staff.baseUrl), async (c) => {
    const { account } = c.get('staff')!;
    await passkeys.remove(actorOf(c), account.id, c.req.param('id'));
    return redirect(c, '/staff/account?notice=passkey-removed');
  });
  return app;
}
