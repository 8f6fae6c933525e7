import { Hono } from 'hono';
import { LinkInvalidPage, SetPasswordPage, SignInPage } from '../../../views/pages/staff/auth.tsx';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import type { SignIn } from './sign-in.ts';

/** `/staff/set-password`: choosing a password from an invitation or reset link. */
export function staffSetPasswordRoutes(deps: HttpDeps, { authorize }: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;

  app.get('/', authorize('public'), async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await accounts.isLinkValid('set-password', token))) return c.html(LinkInvalidPage(), 410);
    return c.html(SetPasswordPage({ csrf: c.get('csrf'), token }));
  });

  app.post('/', authorize('public'), signIn.limit, async (c) => {
    const token = c.req.query('token') ?? '';
    const form = await readForm(c);
    return orRerender(
      async () => {
        await accounts.setPasswordWithLink(actorOf(c, null), token, form.text('password'));
        return c.html(
          SignInPage({ csrf: c.get('csrf'), notice: 'Your password is saved. Sign in with it now.' }),
        );
      },
      (r) =>
        r.error.code === 'link_invalid'
          ? c.html(LinkInvalidPage(), 410)
          : c.html(SetPasswordPage({ csrf: c.get('csrf'), token, error: r.error.message }), 422),
      (e) => e.code === 'link_invalid' || e.status === 422,
    );
  });
  return app;
}
