import { type Context, Hono } from 'hono';
import { DateTime, Duration } from 'luxon';
import {
  type BackupRunView,
  BackupStatus,
  type BackupStatusView,
  BackupsPage,
} from '../../../../views/pages/staff/admin/backups.tsx';
import type { BackupRun } from '../../../domain/backups/index.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { clinicTime } from '../clinic-time.ts';

export const sizeText = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes < 1024 * 1024
      ? `${Math.max(1, Math.round(bytes / 1024))} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const durationText = (ms: number | null) =>
  ms === null ? '' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

/** How long ago, roughly: "3 h", "2 d". */
const ageText = (ms: number) =>
  Duration.fromMillis(Math.max(0, ms))
    .shiftTo(ms >= 86_400_000 ? 'days' : ms >= 3_600_000 ? 'hours' : 'minutes')
    .toHuman({ maximumFractionDigits: 0, unitDisplay: 'short' });

const runView = (r: BackupRun, timeZone: string): BackupRunView => ({
  id: r.id,
  when: clinicTime(r.startedAt ?? r.createdAt, timeZone),
  trigger: r.trigger,
  status: r.status,
  attempts: r.attempts,
  size: sizeText(r.size),
  duration: durationText(r.durationMs),
  error: r.error ?? '',
});

const isActive = (r: BackupRun) => r.status === 'queued' || r.status === 'running' || r.status === 'retrying';

/**
 * `/staff/admin/backups` (admins): the scheduled backups' target and schedule, the last success,
 * recent runs with their errors, and "Back up now" — which queues the backup job; the status part
 * is re-read every 2 s by htmx while the run is queued or running (`/status`).
 */
export function staffBackupsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();

  /** The status part: the active run, else the run asked for (`?run=`) once it has ended. */
  const statusView = async (c: Context<AppEnv>, timeZone: string, active: BackupRun | null) => {
    const asked = c.req.query('run');
    const ended = !active && asked ? await deps.backups.run(asked) : null;
    return {
      configured: deps.backups.configured,
      active: active ? runView(active, timeZone) : null,
      ended: ended && !isActive(ended) ? runView(ended, timeZone) : null,
    } satisfies BackupStatusView;
  };

  app.get('/', authorize('staff.manage'), async (c) => {
    const o = await deps.backups.overview();
    const now = deps.clock.now();
    const last = o.lastSuccess;
    return c.html(
      BackupsPage({
        nav: kit.nav(c),
        view: {
          target: o.target,
          schedule: o.schedule ?? '',
          timeZone: o.timeZone,
          nextRun: o.nextRunAt
            ? `${clinicTime(o.nextRunAt, o.timeZone)} (${DateTime.fromJSDate(o.nextRunAt, { zone: o.timeZone }).toRelative({ base: DateTime.fromJSDate(now) })})`
            : '—',
          retention: `the newest backup of each of the last ${o.keep.daily} days, ${o.keep.weekly} weeks and ${o.keep.monthly} months`,
          lastSuccess: last?.finishedAt
            ? {
                when: clinicTime(last.finishedAt, o.timeZone),
                age: ageText(now.getTime() - last.finishedAt.getTime()),
                size: sizeText(last.size),
                duration: durationText(last.durationMs),
              }
            : null,
          stale: o.stale,
          status: await statusView(c, o.timeZone, o.active),
          recent: o.recent.map((r) => runView(r, o.timeZone)),
          notice: c.req.query('asked') && o.active ? 'Backup queued.' : undefined,
        },
      }),
    );
  });

  app.get('/status', authorize('staff.manage'), async (c) => {
    const o = await deps.backups.overview();
    const view = await statusView(c, o.timeZone, o.active);
    // The run followed has ended: htmx loads the whole page again (last success, runs, warning).
    if (view.ended && c.req.header('hx-request')) {
      return redirect(c, `/staff/admin/backups?run=${encodeURIComponent(view.ended.id)}`);
    }
    return c.html(BackupStatus({ view, csrf: kit.nav(c).csrf }));
  });

  app.post('/run', authorize('staff.manage'), async (c) => {
    const run = await deps.backups.backUpNow(actorOf(c));
    if (!run) {
      return c.html(
        BackupsPage({
          nav: kit.nav(c),
          view: {
            target: null,
            schedule: '',
            timeZone: 'UTC',
            nextRun: '—',
            retention: '',
            lastSuccess: null,
            stale: true,
            status: { configured: false, active: null, ended: null },
            recent: [],
            error: 'No backup target is set: start Clinicbox with --backup-to (see below).',
          },
        }),
        409,
      );
    }
    return redirect(c, `/staff/admin/backups?asked=1&run=${encodeURIComponent(run.id)}`);
  });
  return app;
}
