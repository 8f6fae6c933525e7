import { Hono } from 'hono';
import { SetPasswordPage } from '../../../views/pages/staff/auth.tsx';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { passwordLinkRoutes } from './login/password-link.ts';
import type { SignIn } from './sign-in.ts';

/** `/staff/set-password`: choosing a password from an invitation or reset link. */
export function staffSetPasswordRoutes(deps: HttpDeps, kit: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();

  passwordLinkRoutes(app, deps, kit, signIn, {
    path: '/',
    purpose: 'set-password',
    page: SetPasswordPage,
    save: deps.staff.accounts.setPasswordWithLink,
    savedNotice: 'Your password is saved. Sign in with it now.',
  });
  return app;
}
