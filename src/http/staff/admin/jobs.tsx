import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type JobDetailView, JobPage, JobsPage } from '../../../../views/pages/staff/admin/jobs.tsx';
import { type Job, jobStatuses } from '../../../jobs/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { readForm } from '../../kit/form.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { clinicTime } from '../clinic-time.ts';

/** One job as `clinicbox jobs show` prints it, times in the clinic's zone. */
const jobDetailOf = (job: Job, timeZone: string): JobDetailView => {
  const at = (d: Date | null) => clinicTime(d, timeZone);
  return {
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
  };
};

/** `/staff/admin/jobs`: the job queue — what is waiting, what failed; retry the dead, cancel the waiting. */
export function staffJobsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();

  const jobsPage = async (
    c: Context<AppEnv>,
    extra: { error?: string; notice?: string } = {},
    code: 200 | 409 = 200,
  ) => {
    const status = z.enum(jobStatuses).safeParse(c.req.query('status'));
    const name = (c.req.query('name') ?? '').trim().slice(0, 200);
    const [stats, jobs, { timeZone }] = await Promise.all([
      deps.jobs.stats(),
      deps.jobs.list({
        ...(status.success ? { status: status.data } : {}),
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
  /** The job id of the path, or a 404 for anything else. */
  const jobId = (c: Context<AppEnv>) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param('id'));
    if (!id.success) throw notFound('That job');
    return id.data;
  };
  /** Audits a change to job `id` in the transaction that makes it. */
  const audited = (c: Context<AppEnv>, action: string, id: number) => ({
    inTx: (ctx: Parameters<typeof deps.audit.record>[0]) =>
      deps.audit.record(ctx, actorOf(c), { action, entity: 'job', entityId: String(id) }),
  });
  const backTo = async (c: Context<AppEnv>, id: number) =>
    redirect(c, (await readForm(c)).text('back') === 'job' ? `/staff/admin/jobs/${id}` : '/staff/admin/jobs');

  app.get('/', authorize('jobs.manage'), (c) => {
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

  app.get('/:id', authorize('jobs.manage'), async (c) => {
    const [job, { timeZone }] = await Promise.all([deps.jobs.get(jobId(c)), deps.clinic.get()]);
    if (!job) throw notFound('That job');
    return c.html(JobPage({ nav: kit.nav(c), timeZone, job: jobDetailOf(job, timeZone) }));
  });

  app.post('/retry-dead', authorize('jobs.manage'), async (c) => {
    const { retried, skipped } = await deps.jobs.retryAllDead({
      inTx: (ctx, counts) =>
        deps.audit.record(ctx, actorOf(c), { action: 'jobs.retry-all-dead', entity: 'job', details: counts }),
    });
    return redirect(c, `/staff/admin/jobs?retried=${retried}&skipped=${skipped}`);
  });
  app.post('/:id/retry', authorize('jobs.manage'), async (c) => {
    const id = jobId(c);
    const outcome = await deps.jobs.retry(id, audited(c, 'jobs.retry', id));
    if (outcome === 'queued') return backTo(c, id);
    const error =
      outcome === 'key-taken'
        ? `Job ${id} was not queued again: a job with the same key is already waiting (or running). Retry it once that one has finished.`
        : `Job ${id} was not queued again: it is not dead or cancelled (any more).`;
    return jobsPage(c, { error }, 409);
  });
  app.post('/:id/cancel', authorize('jobs.manage'), async (c) => {
    const id = jobId(c);
    if (await deps.jobs.cancel(id, audited(c, 'jobs.cancel', id))) return backTo(c, id);
    const error = `Job ${id} was not cancelled: it is not waiting (a running job cannot be cancelled).`;
    return jobsPage(c, { error }, 409);
  });
  return app;
}
