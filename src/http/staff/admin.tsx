import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  AdminHomePage,
  AuditPage,
  JobPage,
  JobsPage,
  StaffListPage,
} from '../../../views/pages/staff/admin.tsx';
import { staffRoles } from '../../domain/accounts/index.ts';
import { jobStatuses } from '../../jobs/index.ts';
import { isAppError, notFound } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { clinicTime } from './clinic-time.ts';

/** Admin: staff members, the job queue and the audit log. */
const fmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const dateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function staffAdminRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
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

  app.get('/staff/admin', authorize('staff.manage'), (c) => c.html(AdminHomePage({ nav: kit.nav(c) })));

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

  const jobsPage = async (
    c: Context<AppEnv>,
    extra: { error?: string; notice?: string } = {},
    code: 200 | 409 = 200,
  ) => {
    const status = z.enum(jobStatuses as [string, ...string[]]).safeParse(c.req.query('status'));
    const name = (c.req.query('name') ?? '').trim().slice(0, 200);
    const [stats, jobs, { timeZone }] = await Promise.all([
      deps.jobs.stats(),
      deps.jobs.list({
        ...(status.success ? { status: status.data as (typeof jobStatuses)[number] } : {}),
        ...(name ? { name } : {}),
        limit: 100,
      }),
      deps.clinic.get(),
    ]);
    const rows = jobs.map((j) => ({
      id: j.id,
      name: j.name,
      status: j.status,
      attempts: `${j.attempts}/${j.maxAttempts}`,
      runAt: clinicTime(j.runAt, timeZone),
      lastError: (j.lastError ?? '').slice(0, 120),
    }));
    return c.html(
      JobsPage({
        nav: kit.nav(c),
        ...stats,
        status: status.success ? status.data : '',
        name,
        timeZone,
        rows,
        ...extra,
      }),
      code,
    );
  };
  app.get('/staff/admin/jobs', authorize('jobs.manage'), (c) => {
    const retried = z.coerce.number().int().min(0).safeParse(c.req.query('retried'));
    const skipped = z.coerce.number().int().min(0).catch(0).parse(c.req.query('skipped'));
    if (!retried.success) return jobsPage(c);
    const n = retried.data;
    return jobsPage(c, {
      notice:
        `${n} dead job${n === 1 ? '' : 's'} queued again.` +
        (skipped ? ` ${skipped} skipped: a job with the same key is already waiting (or running).` : ''),
    });
  });
  /** The job id of the path, or a 404 for anything else. */
  const jobId = (c: Context<AppEnv>) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param('id'));
    if (!id.success) throw notFound('That job');
    return id.data;
  };
  /** Audits a change to job `id` in the transaction that makes it. */
  const audited = (c: Context<AppEnv>, action: string, id: number) => ({
    inTx: (ctx: Parameters<typeof deps.audit.record>[0]) =>
      deps.audit.record(ctx, actor(c), { action, entity: 'job', entityId: String(id) }),
  });
  const backTo = async (c: Context<AppEnv>, id: number) =>
    redirect(c, (await field(c, 'back')) === 'job' ? `/staff/admin/jobs/${id}` : '/staff/admin/jobs');

  app.get('/staff/admin/jobs/:id', authorize('jobs.manage'), async (c) => {
    const [job, { timeZone }] = await Promise.all([deps.jobs.get(jobId(c)), deps.clinic.get()]);
    if (!job) throw notFound('That job');
    const at = (d: Date | null) => clinicTime(d, timeZone);
    return c.html(
      JobPage({
        nav: kit.nav(c),
        timeZone,
        job: {
          id: job.id,
          name: job.name,
          status: job.status,
          attempts: `${job.attempts}/${job.maxAttempts}`,
          priority: job.priority,
          uniqueKey: job.uniqueKey ?? '',
          payload: JSON.stringify(job.payload),
          lastError: job.lastError ?? '',
          lockedBy: job.lockedBy ?? '',
          requestId: job.requestId ?? '',
          times: [
            { label: 'Created', value: at(job.createdAt) },
            { label: 'Run at', value: at(job.runAt) },
            { label: 'Started', value: at(job.startedAt) },
            { label: 'Lease until', value: at(job.leaseUntil) },
            { label: 'Finished', value: at(job.finishedAt) },
          ],
        },
      }),
    );
  });
  app.post('/staff/admin/jobs/retry-dead', authorize('jobs.manage'), async (c) => {
    const { retried, skipped } = await deps.jobs.retryAllDead({
      inTx: (ctx, counts) =>
        deps.audit.record(ctx, actor(c), { action: 'jobs.retry-all-dead', entity: 'job', details: counts }),
    });
    return redirect(c, `/staff/admin/jobs?retried=${retried}&skipped=${skipped}`);
  });
  app.post('/staff/admin/jobs/:id/retry', authorize('jobs.manage'), async (c) => {
    const id = jobId(c);
    const outcome = await deps.jobs.retry(id, audited(c, 'jobs.retry', id));
    if (outcome === 'queued') return backTo(c, id);
    return jobsPage(
      c,
      {
        error:
          outcome === 'key-taken'
            ? `Job ${id} was not queued again: a job with the same key is already waiting (or running). Retry it once that one has finished.`
            : `Job ${id} was not queued again: it is not dead or cancelled (any more).`,
      },
      409,
    );
  });
  app.post('/staff/admin/jobs/:id/cancel', authorize('jobs.manage'), async (c) => {
    const id = jobId(c);
    if (await deps.jobs.cancel(id, audited(c, 'jobs.cancel', id))) return backTo(c, id);
    return jobsPage(
      c,
      { error: `Job ${id} was not cancelled: it is not waiting (a running job cannot be cancelled).` },
      409,
    );
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
        nav: kit.nav(c),
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
