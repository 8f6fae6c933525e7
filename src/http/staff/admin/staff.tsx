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

/**
 * `/staff/admin/staff`: staff members — invite (the email carries the one link; a new link for
 * the admin to hand over ends it), change roles, deactivate, reset a lost second factor, revoke a
 * calendar feed.
 */
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
    extra: { error?: string; invited?: { email: string }; handOver?: { email: string; link: string } } = {},
    status: 200 | 201 | 409 | 422 = 200,
  ) => {
    const me = c.get('staff')!.account.id;
    const feeds = await deps.calendarFeeds.owners();
    const rows = (await accounts.list()).map((a) => ({
      id: a.id,
      name: a.name,
      email: a.email,
      role: a.role,
      status: a.status,
      mfa: Boolean(a.mfaEnrolledAt),
      invited: !a.passwordHash,
      feed: feeds.has(a.id),
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
        // The invitation's one link goes by email (the job makes it): none is shown here.
        const account = await accounts.invite(actorOf(c), input);
        return staffList(c, { invited: { email: account.email } }, 201);
      },
      (r) => staffList(c, { error: r.message }, r.status as 409 | 422),
      (e) => e.status === 409 || e.status === 422,
    );
  });

  app.post('/:id/invitation-link', authorize('staff.manage'), async (c) => {
    const id = other(c);
    return orRerender(
      async () => {
        const token = await accounts.issueInvitationLink(actorOf(c), id);
        const base = deps.staff.baseUrl || new URL(c.req.url).origin;
        const { email } = await accounts.get(id);
        return staffList(c, { handOver: { email, link: `${base}/staff/set-password?token=${token}` } });
      },
      (r) => staffList(c, { error: r.message }, 409),
      (e) => e.status === 409,
    );
  });
  app.post('/:id/revoke-calendar-feed', authorize('staff.manage'), async (c) => {
    await deps.calendarFeeds.revoke(actorOf(c), c.req.param('id'));
    return redirect(c, '/staff/admin/staff');
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
