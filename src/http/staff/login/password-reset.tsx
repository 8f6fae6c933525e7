import { Hono } from 'hono';
import {
  ForgotPasswordPage,
  ResetPasswordPage,
  ResetRequestedPage,
} from '../../../../views/pages/staff/auth.tsx';
import { createRateLimiter } from '../../../lib/rate-limit.ts';
import { readForm } from '../../kit/form.ts';
import { clientIp, setRetryAfter } from '../../middleware/rate-limit.ts';
import { actorOf } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import type { SignIn } from '../sign-in.ts';
import { passwordLinkRoutes } from './password-link.ts';

/**
 * "Forgot password?" (`/staff/login/forgot`) and the emailed link's page (`/staff/login/reset`).
 * Every address gets the same answer, known or not, active or not. Requests are limited per
 * client address (a 429 after 5 in 15 minutes) and per account: after 3 emails in an hour to one
 * address, more requests for it are answered alike but send nothing. The new password spends the
 * link and ends every session; signing in after it asks for the second factor as always.
 */
export function staffPasswordResetRoutes(deps: HttpDeps, kit: RouteKit, signIn: SignIn) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  const perIp = createRateLimiter({ name: 'staff-password-reset-ip', max: 5, windowMs: 15 * 60_000 });
  const perAccount = createRateLimiter({
    name: 'staff-password-reset-account',
    max: 3,
    windowMs: 3_600_000,
    now: () => deps.clock.now().getTime(),
  });

  app.get('/forgot', authorize('public'), (c) => c.html(ForgotPasswordPage({ csrf: c.get('csrf') })));

  app.post('/forgot', authorize('public'), async (c) => {
    const email = (await readForm(c)).text('email').trim().toLowerCase();
    const page = (error: string, status: 422 | 429) =>
      c.html(ForgotPasswordPage({ csrf: c.get('csrf'), email, error }), status);
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
      return page('Enter the email address you sign in with.', 422);
    const fromHere = perIp.hit(clientIp(c));
    if (!fromHere.allowed) {
      setRetryAfter(c, fromHere.retryAfterMs);
      return page('Too many requests from this network. Try again in a few minutes.', 429);
    }
    // Over the account's limit: nothing more is sent, and the answer stays the same.
    if (perAccount.hit(email).allowed) await accounts.requestPasswordReset(actorOf(c, null), email);
    return c.html(ResetRequestedPage({ email }));
  });

  passwordLinkRoutes(app, deps, kit, signIn, {
    path: '/reset',
    purpose: 'reset-password',
    page: ResetPasswordPage,
    save: accounts.resetPasswordWithLink,
    savedNotice: 'Your new password is saved and every device is signed out. Sign in with it now.',
  });
  return app;
}
