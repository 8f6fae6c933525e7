import { CronExpressionParser } from 'cron-parser';
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { JobQueue } from './queue.ts';
import type { JobType } from './types.ts';

/**
 * Recurring schedules. Each has a stable id and a row in `job_schedules` whose `next_run_at`
 * says when the next tick is due. Enqueuing a due tick and advancing `next_run_at` happen in one
 * transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE SKIP LOCKED), so N instances
 * never enqueue the same tick twice. The job's unique key `schedule:<id>` also keeps ticks from
 * piling up while one is still waiting or running. Missed ticks (process down) collapse into one.
 */
export interface ScheduleDefinition {
  /** Stable id, e.g. `jobs.prune-finished`. */
  id: string;
  /** Cron expression (5 or 6 fields, or @daily…), in `timeZone`. */
  cron: string;
  /** IANA time zone the cron is read in (default UTC). */
  timeZone?: string;
  /** The job each tick enqueues (its payload: `payload`, else {}). */
  job: JobType<any>;
  payload?: unknown;
}

export interface Scheduler {
  /** Creates or updates the schedules' rows (a changed cron gets a new next time). */
  sync(): Promise<void>;
  /** Enqueues every due tick; returns how many jobs were enqueued. */
  enqueueDue(): Promise<number>;
}

export function nextRun(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

export function createScheduler(deps: {
  db: Db;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  schedules: ScheduleDefinition[];
}): Scheduler {
  const { db, queue, clock, schedules } = deps;
  const byId = new Map(schedules.map((s) => [s.id, s]));
  for (const s of schedules) nextRun(s.cron, s.timeZone ?? 'UTC', clock.now()); // fail fast on a bad cron

  return {
    async sync() {
      await db.tx(async ({ db: q, t }) => {
        const now = clock.now();
        const existing = new Map((await q.select().from(t.jobSchedules)).map((r) => [r.id, r]));
        for (const s of schedules) {
          const tz = s.timeZone ?? 'UTC';
          const row = existing.get(s.id);
          if (row && row.cron === s.cron && row.timeZone === tz && row.jobName === s.job.name) continue;
          const values = {
            cron: s.cron,
            timeZone: tz,
            jobName: s.job.name,
            nextRunAt: nextRun(s.cron, tz, now),
            updatedAt: now,
          };
          if (row) await q.update(t.jobSchedules).set(values).where(eq(t.jobSchedules.id, s.id));
          else
            await q
              .insert(t.jobSchedules)
              .values({ id: s.id, ...values })
              .onConflictDoNothing();
        }
      });
    },

    async enqueueDue() {
      if (byId.size === 0) return 0;
      return db.tx(async (ctx) => {
        const { jobSchedules } = ctx.t;
        const now = clock.now();
        let select = ctx.db
          .select()
          .from(jobSchedules)
          .where(and(lte(jobSchedules.nextRunAt, now), inArray(jobSchedules.id, [...byId.keys()])));
        if (ctx.dialect === 'postgres') {
          select = (select as unknown as { for(s: string, o: object): typeof select }).for('update', {
            skipLocked: true,
          });
        }
        const due = await select;
        const enqueued: string[] = [];
        for (const row of due) {
          const def = byId.get(row.id)!;
          // Advance the tick only if it is still the one read (check-and-set); another instance
          // that took it first leaves nothing to enqueue here.
          const advanced = await ctx.db
            .update(jobSchedules)
            .set({ nextRunAt: nextRun(row.cron, row.timeZone, now), lastEnqueuedAt: now, updatedAt: now })
            .where(and(eq(jobSchedules.id, row.id), eq(jobSchedules.nextRunAt, row.nextRunAt)))
            .returning({ id: jobSchedules.id });
          if (advanced.length === 0) continue;
          await queue.enqueue(ctx, def.job, def.payload ?? {}, {
            uniqueKey: `schedule:${row.id}`,
            runAt: row.nextRunAt,
          });
          enqueued.push(row.id);
        }
        if (enqueued.length) deps.log.debug('scheduled jobs enqueued', { ids: enqueued });
        return enqueued.length;
      });
    },
  };
}
