import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { StaffListPage } from '../../../../views/pages/staff/admin/staff.tsx';
import { staffRoles } from '../../../domain/accounts/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

/** `/staff/admin/staff`: staff members — invite, change roles, deactivate, reset a lost second factor. */
export function staffMembersRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  /** An admin may not demote, deactivate or reset themselves (no locking the clinic out). */
  const other = (c: Context<AppEnv>) => {
    const id = c.req.param('id')!;
    if (id === c.get('staff')!.account.id) throw notFound('That staff member');
    return id;
  };

  const staffList = async (
    c: Context<AppEnv>,
    extra: { error?: string; invited?: { email: string; link: string } } = {},
    status: 200 | 201 | 409 | 422 = 200,
  ) => {
    const me = c.get('staff')!.account.id;
    const rows = (await accounts.list()).map((a) => ({
      id: a.id,
      name: a.name,
      email: a.email,
      role: a.role,
      status: a.status,
      mfa: Boolean(a.mfaEnrolledAt),
      self: a.id === me,
    }));
    return c.html(StaffListPage({ nav: kit.nav(c), rows, roles: staffRoles, ...extra }), status);
  };
  app.get('/', authorize('staff.manage'), (c) => staffList(c));

  app.post('/', authorize('staff.manage'), async (c) => {
    const form = await readForm(c);
    const input = {
      name: form.text('name'),
      email: form.text('email'),
      role: form.text('role') as (typeof staffRoles)[number],
    };
    return orRerender(
      async () => {
        const account = await accounts.invite(actorOf(c), input);
        const token = await accounts.issueSetPasswordLink(account.id);
        const base = deps.staff.baseUrl || new URL(c.req.url).origin;
        const link = `${base}/staff/set-password?token=${token}`;
        return staffList(c, { invited: { email: account.email, link } }, 201);
      },
      (r) => staffList(c, { error: r.message }, r.status as 409 | 422),
      (e) => e.status === 409 || e.status === 422,
    );
  });

  app.post('/:id/role', authorize('staff.manage'), async (c) => {
    const role = z.enum(staffRoles).parse((await readForm(c)).text('role'));
    await accounts.changeRole(actorOf(c), other(c), role);
    return redirect(c, '/staff/admin/staff');
  });
  app.post('/:id/deactivate', authorize('staff.manage'), async (c) => {
    await accounts.deactivate(actorOf(c), other(c));
    return redirect(c, '/staff/admin/staff');
  });
  app.post('/:id/reset-mfa', authorize('staff.manage'), async (c) => {
    await accounts.resetSecondFactor(actorOf(c), other(c));
    return redirect(c, '/staff/admin/staff');
  });
  return app;
}
