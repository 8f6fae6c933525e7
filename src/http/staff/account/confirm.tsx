import { type Context, Hono } from 'hono';
import { ConfirmItsYouPage } from '../../../../views/pages/staff/auth.tsx';
import { SecondFactorLocked } from '../../../domain/accounts/index.ts';
import { readForm } from '../../kit/form.ts';
import { actorOf, redirect, safeNext } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { orLocked, type SignIn } from '../sign-in.ts';

type Refusal = { on: 'password' | 'code'; message: string };

/**
 * `/staff/account/confirm`: "Confirm it's you" before a change to how the member signs in (the
 * accounts area asks for a proof within 5 minutes), with the password or a second-factor code —
 * or by signing in again, with a passkey or single sign-on, which a member without a password
 * may have only — then back to `next`, the page they were on (this site's only).
 */
export function staffConfirmRoutes(deps: HttpDeps, { authorize }: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();
  const next = (c: Context<AppEnv>) => safeNext(c.req.query('next'));

  const page = async (c: Context<AppEnv>, error?: Refusal, status: 200 | 401 | 429 = 200) => {
    const { account } = c.get('staff')!;
    return c.html(
      ConfirmItsYouPage({
        csrf: c.get('csrf'),
        next: next(c),
        password: Boolean(account.passwordHash),
        code: Boolean(account.mfaEnrolledAt),
        passkey: await signIn.hasPasskey(account.id),
        sso: Boolean(deps.staff.sso),
        error,
      }),
      status,
    );
  };
  /** A sign-in still owing its second factor finishes it instead: that is the proof. */
  const owesSecondFactor = async (c: Context<AppEnv>) => {
    const { account, session } = c.get('staff')!;
    return !session.mfaVerified && (await signIn.secondStep(account)) === '/staff/login/code';
  };
  const toSecondFactor = (c: Context<AppEnv>) =>
    redirect(c, `/staff/login/code?next=${encodeURIComponent(next(c))}`);

  app.get('/', authorize('password'), async (c) =>
    (await owesSecondFactor(c)) ? toSecondFactor(c) : page(c),
  );

  app.post('/', authorize('password'), signIn.limit, async (c) => {
    if (await owesSecondFactor(c)) return toSecondFactor(c);
    const { account, session } = c.get('staff')!;
    const form = await readForm(c);
    const password = form.optional('password');
    const confirm = () =>
      deps.staff.accounts.confirmIdentity(
        actorOf(c, account),
        session,
        password === undefined ? { code: form.text('code') } : { password },
      );
    if (password !== undefined) {
      if (await signIn.passwordCheck(c, account.id, confirm)) return redirect(c, next(c));
      return page(c, { on: 'password', message: 'Your password is not right.' }, 401);
    }
    const method = await orLocked(c, confirm);
    if (method instanceof SecondFactorLocked) return page(c, { on: 'code', message: method.message }, 429);
    if (method) return redirect(c, next(c));
    return page(c, { on: 'code', message: 'That code is not right. Try the next code from your app.' }, 401);
  });

  return app;
}
