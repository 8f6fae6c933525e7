import { type Context, Hono } from 'hono';
import {
  LinkInvalidPage,
  RecoveryCodesPage,
  SetupPage,
  TotpSetupPage,
} from '../../../views/pages/staff/auth.tsx';
import { totpUri } from '../../domain/accounts/index.ts';
import { forbidden } from '../../lib/errors.ts';
import { qrSvg } from '../../lib/qr.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import { recentProof } from '../middleware/step-up.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { NEEDS_TLS, type SignIn } from './sign-in.ts';

/**
 * `/staff/setup`: the first administrator's account, from the one-time setup link; and `/totp`,
 * setting up an authenticator app (as the second factor still owed, or from the account page).
 */
export function staffSetupRoutes(deps: HttpDeps, { authorize }: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  // A new second factor from the account page (or, minutes after the password, as the one owed).
  const proven = recentProof(deps.clock, deps.staff.baseUrl);

  app.get('/', authorize('public'), async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await accounts.isLinkValid('setup', token)) || (await accounts.hasAdmin()))
      return c.html(LinkInvalidPage(), 410);
    return c.html(SetupPage({ csrf: c.get('csrf'), token }));
  });

  app.post('/', authorize('public'), signIn.limit, async (c) => {
    const token = c.req.query('token') ?? '';
    const form = await readForm(c);
    const input = { email: form.text('email'), name: form.text('name'), password: form.text('password') };
    if (!c.get('cookies'))
      return c.html(SetupPage({ csrf: c.get('csrf'), token, error: NEEDS_TLS, ...input }), 403);
    return orRerender(
      async () => {
        const account = await accounts.completeSetup(actorOf(c, null), token, input);
        const step = await signIn.secondStep(account);
        await signIn.start(c, account, step === null);
        return redirect(c, step ?? '/staff');
      },
      (r) =>
        r.error.code === 'link_invalid'
          ? c.html(LinkInvalidPage(), 410)
          : c.html(
              SetupPage({ csrf: c.get('csrf'), token, error: r.first, email: input.email, name: input.name }),
              422,
            ),
      (e) => e.code === 'link_invalid' || e.status === 422,
    );
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
    return !session.mfaVerified && (await signIn.hasPasskey(account.id));
  };

  app.get('/totp', authorize('password'), proven, async (c) => {
    if (c.get('staff')!.account.mfaEnrolledAt) return c.redirect('/staff', 303);
    if (await passkeyFirst(c)) return c.redirect('/staff/login/code', 303);
    return totpPage(c);
  });

  app.post('/totp', authorize('password'), proven, async (c) => {
    const staff = c.get('staff')!;
    if (await passkeyFirst(c)) throw forbidden('Confirm it’s you with your passkey first.');
    const form = await readForm(c);
    return orRerender(
      async () => {
        const codes = await accounts.confirmTotp(
          actorOf(c, staff.account),
          staff.account.id,
          form.text('code'),
        );
        await signIn.start(c, staff.account, true, 'totp-enrolled');
        return c.html(RecoveryCodesPage({ codes }));
      },
      (r) => totpPage(c, r.error.message),
    );
  });

  return app;
}
