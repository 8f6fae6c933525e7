import type { Context, Hono } from 'hono';
import { LinkInvalidPage, type SetPasswordPage, SignInPage } from '../../../../views/pages/staff/auth.tsx';
import type { StaffAccount } from '../../../domain/accounts/index.ts';
import type { Actor } from '../../../domain/audit/index.ts';
import { readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import type { SignIn } from '../sign-in.ts';

/**
 * The page an emailed password link opens (GET `path?token=…`) and its form (POST): an invitation's
 * and a reset's alike. A link used, replaced or expired gets the 410 page; a password refused
 * re-shows the form (422); a saved one shows the sign-in page with `savedNotice`.
 */
export function passwordLinkRoutes(
  app: Hono<AppEnv>,
  deps: HttpDeps,
  { authorize }: RouteKit,
  signIn: SignIn,
  link: {
    path: string;
    purpose: 'set-password' | 'reset-password';
    /** The form choosing the password (the invitation's and the reset's differ in wording). */
    page: typeof SetPasswordPage;
    save: (actor: Actor, token: string, password: string) => Promise<StaffAccount>;
    savedNotice: string;
  },
): void {
  const { accounts } = deps.staff;
  const invalid = (c: Context<AppEnv>) =>
    c.html(LinkInvalidPage(link.purpose === 'reset-password' ? { reset: true } : undefined), 410);

  app.get(link.path, authorize('public'), async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await accounts.isLinkValid(link.purpose, token))) return invalid(c);
    return c.html(link.page({ csrf: c.get('csrf'), token }));
  });

  app.post(link.path, authorize('public'), signIn.limit, async (c) => {
    const token = c.req.query('token') ?? '';
    const form = await readForm(c);
    return orRerender(
      async () => {
        await link.save(actorOf(c, null), token, form.text('password'));
        return c.html(SignInPage({ csrf: c.get('csrf'), notice: link.savedNotice }));
      },
      (r) =>
        r.error.code === 'link_invalid'
          ? invalid(c)
          : c.html(link.page({ csrf: c.get('csrf'), token, error: r.error.message }), 422),
      (e) => e.code === 'link_invalid' || e.status === 422,
    );
  });
}
