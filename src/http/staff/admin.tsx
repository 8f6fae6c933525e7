import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { AdminHomePage, AuditPage, JobsPage, StaffListPage } from '../../../views/pages/staff/admin.tsx';
import { staffRoles } from '../../domain/accounts/index.ts';
import { jobStatuses } from '../../jobs/index.ts';
import { isAppError, notFound } from '../../lib/errors.ts';
import { type Authorizer, actorOf, type RoutePolicy, redirect } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { navOf } from './home.tsx';

/** Admin: staff members, the job queue and the audit log. */
const fmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const dateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function staffAdminRoutes(deps: HttpDeps, authorize: (p: RoutePolicy) => Authorizer) {
  const app = new Hono<AppEnv>();
  const { accounts } = deps.staff;
  const actor = (c: Context<AppEnv>) => actorOf(c);
  const field = async (c: Context<AppEnv>, name: string) => {
    const v = (await c.req.parseBody())[name];
    return typeof v === 'string' ? v : '';
  };
  /** An admin may not demote, deactivate or reset themselves (no locking the clinic out). */
  const other = (c: Context<AppEnv>) => {
    const id = c.req.param('id')!;
    if (id === c.get('staff')!.account.id) throw notFound('That staff member');
    return id;
  };

  app.get('/staff/admin', authorize('staff.manage'), (c) => c.html(AdminHomePage({ nav: navOf(c) })));

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
    return c.html(StaffListPage({ nav: navOf(c), rows, roles: staffRoles, ...extra }), status);
  };
  app.get('/staff/admin/staff', authorize('staff.manage'), (c) => staffList(c));

  app.post('/staff/admin/staff', authorize('staff.manage'), async (c) => {
    const body = await c.req.parseBody();
    const input = {
      name: String(body.name ?? ''),
      email: String(body.email ?? ''),
      role: String(body.role ?? '') as (typeof staffRoles)[number],
    };
    try {
      const account = await accounts.invite(actor(c), input);
      const token = await accounts.issueSetPasswordLink(account.id);
      const base = deps.staff.baseUrl || new URL(c.req.url).origin;
      return staffList(
        c,
        { invited: { email: account.email, link: `${base}/staff/set-password?token=${token}` } },
        201,
      );
    } catch (e) {
      if (isAppError(e) && (e.status === 409 || e.status === 422)) {
        return staffList(
          c,
          { error: e.issues?.map((i) => i.message).join(' ') || e.message },
          e.status as 409 | 422,
        );
      }
      throw e;
    }
  });

  app.post('/staff/admin/staff/:id/role', authorize('staff.manage'), async (c) => {
    const role = z.enum(staffRoles).parse(await field(c, 'role'));
    await accounts.changeRole(actor(c), other(c), role);
    return redirect(c, '/staff/admin/staff');
  });
  app.post('/staff/admin/staff/:id/deactivate', authorize('staff.manage'), async (c) => {
    await accounts.deactivate(actor(c), other(c));
    return redirect(c, '/staff/admin/staff');
  });
  app.post('/staff/admin/staff/:id/reset-mfa', authorize('staff.manage'), async (c) => {
    await accounts.resetSecondFactor(actor(c), other(c));
    return redirect(c, '/staff/admin/staff');
  });

  const jobsPage = async (c: Context<AppEnv>, extra: { error?: string } = {}, code: 200 | 409 = 200) => {
    const status = z.enum(jobStatuses as [string, ...string[]]).safeParse(c.req.query('status'));
    const [stats, jobs] = await Promise.all([
      deps.jobs.stats(),
      deps.jobs.list({
        ...(status.success ? { status: status.data as (typeof jobStatuses)[number] } : {}),
        limit: 100,
      }),
    ]);
    const rows = jobs.map((j) => ({
      id: j.id,
      name: j.name,
      status: j.status,
      attempts: `${j.attempts}/${j.maxAttempts}`,
      runAt: fmt(j.runAt),
      lastError: (j.lastError ?? '').slice(0, 120),
    }));
    return c.html(
      JobsPage({ nav: navOf(c), ...stats, status: status.success ? status.data : '', rows, ...extra }),
      code,
    );
  };
  app.get('/staff/admin/jobs', authorize('jobs.manage'), (c) => jobsPage(c));
  const jobId = (c: Context<AppEnv>) => z.coerce.number().int().positive().parse(c.req.param('id'));
  app.post('/staff/admin/jobs/:id/retry', authorize('jobs.manage'), async (c) => {
    const outcome = await deps.jobs.retry(jobId(c));
    if (outcome === 'key-taken') {
      return jobsPage(
        c,
        {
          error: `Job ${jobId(c)} was not queued again: a job with the same key is already waiting (or running). Retry it once that one has finished.`,
        },
        409,
      );
    }
    await deps.audit.recordRead(actor(c), {
      action: 'jobs.retry',
      entity: 'job',
      entityId: String(jobId(c)),
    });
    return redirect(c, '/staff/admin/jobs');
  });
  app.post('/staff/admin/jobs/:id/cancel', authorize('jobs.manage'), async (c) => {
    await deps.jobs.cancel(jobId(c));
    await deps.audit.recordRead(actor(c), {
      action: 'jobs.cancel',
      entity: 'job',
      entityId: String(jobId(c)),
    });
    return redirect(c, '/staff/admin/jobs');
  });

  app.get('/staff/admin/audit', authorize('audit.read'), async (c) => {
    const q = (k: string) => c.req.query(k) ?? '';
    const from = dateParam.safeParse(q('from'));
    const to = dateParam.safeParse(q('to'));
    const staff = await accounts.list();
    const names = new Map(staff.map((s) => [s.id, s.name]));
    // Verifying reads the whole log: only when asked (the button), not on every visit.
    const [rows, verify] = await Promise.all([
      deps.audit.list({
        ...(q('patient') ? { patientId: q('patient') } : {}),
        ...(q('staff') ? { actorId: q('staff') } : {}),
        ...(from.success ? { from: new Date(`${from.data}T00:00:00Z`) } : {}),
        ...(to.success ? { to: new Date(new Date(`${to.data}T00:00:00Z`).getTime() + 86_400_000) } : {}),
        limit: 200,
      }),
      q('verify') ? deps.audit.verify() : null,
    ]);
    return c.html(
      AuditPage({
        nav: navOf(c),
        filter: { patient: q('patient'), staff: q('staff'), from: q('from'), to: q('to') },
        staffOptions: staff.map((s) => ({ id: s.id, name: s.name })),
        verify,
        rows: rows.map((r) => ({
          id: r.id,
          at: fmt(r.at),
          actor: r.actorType === 'staff' ? (names.get(r.actorId ?? '') ?? r.actorId ?? '') : r.actorType,
          action: r.action,
          entity: r.entityId ? `${r.entity} ${r.entityId.slice(0, 8)}` : r.entity,
          patientId: r.patientId ?? '',
          ip: r.ip ?? '',
        })),
      }),
    );
  });
  return app;
}
