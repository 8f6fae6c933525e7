import { and, count, desc, eq, inArray, lt, min, sql } from 'drizzle-orm';
import type { Db, DbCtx } from '../db/client.ts';
import { deleteWhere } from '../db/rows.ts';
import type { Clock } from '../lib/clock.ts';
import { timeParam } from './queue.ts';
import { type Job, type JobStatus, jobStatuses } from './types.ts';

/**
 * Operating the queue: list, show, retry, cancel, stats, prune. Used by `clinicbox jobs` and the
 * staff admin page.
 */
export interface JobStats {
  counts: Record<JobStatus, number>;
  /** Age in seconds of the oldest queued job that is due, or null. */
  oldestDueSeconds: number | null;
  /** True when due work has waited longer than the backlog threshold. */
  backlog: boolean;
}

export const backlogThresholdSeconds = 300;

/** What `retry` did: queued again, refused (a live job holds its unique key), or nothing to retry. */
export type RetryOutcome = 'queued' | 'key-taken' | 'not-retryable';

/**
 * `inTx` runs in the transaction of the change, only when something changed: the caller's audit
 * row then exists exactly when the change does (a throw rolls both back).
 */
export interface ChangeOptions {
  inTx?: (ctx: DbCtx) => Promise<void>;
}

export function jobAdmin(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const { jobs } = db.reader.t;
  const requeued = () => ({
    status: 'queued' as const,
    attempts: 0,
    runAt: clock.now(),
    finishedAt: null,
    lockedBy: null,
    leaseUntil: null,
  });
  /** No live job holds this row's unique key (the partial unique index allows one). */
  const keyIsFree = sql`(${jobs.uniqueKey} is null or not exists (select 1 from jobs live
    where live.unique_key = ${jobs.uniqueKey} and live.status in ('queued', 'running')))`;

  return {
    async list(filter: { status?: JobStatus; name?: string; limit?: number } = {}): Promise<Job[]> {
      const where = and(
        filter.status ? eq(jobs.status, filter.status) : undefined,
        filter.name ? eq(jobs.name, filter.name) : undefined,
      );
      return db.reader.db
        .select()
        .from(jobs)
        .where(where)
        .orderBy(desc(jobs.id))
        .limit(filter.limit ?? 50);
    },

    async get(id: number): Promise<Job | undefined> {
      const [job] = await db.reader.db.select().from(jobs).where(eq(jobs.id, id));
      return job;
    },

    /**
     * Dead or cancelled → queued now with fresh attempts. `key-taken` when a live (queued or
     * running) job holds the same unique key: queuing this one too would break the key's promise.
     */
    async retry(id: number, options: ChangeOptions = {}): Promise<RetryOutcome> {
      return db.tx(async (ctx) => {
        const q = ctx.db;
        const rows = await q
          .update(jobs)
          .set(requeued())
          .where(and(eq(jobs.id, id), inArray(jobs.status, ['dead', 'cancelled']), keyIsFree))
          .returning({ id: jobs.id });
        if (rows.length === 1) {
          await options.inTx?.(ctx);
          return 'queued';
        }
        const [job] = await q.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id));
        return job?.status === 'dead' || job?.status === 'cancelled' ? 'key-taken' : 'not-retryable';
      });
    },

    /**
     * Every dead job → queued, except those whose unique key a live job holds, and of several dead
     * jobs sharing one key all but the newest (the key allows one live job). Those are skipped.
     */
    async retryAllDead(
      options: { inTx?: (ctx: DbCtx, counts: { retried: number; skipped: number }) => Promise<void> } = {},
    ): Promise<{ retried: number; skipped: number }> {
      return db.tx(async (ctx) => {
        const q = ctx.db;
        const rows = await q
          .update(jobs)
          .set(requeued())
          .where(
            and(
              sql`${jobs.status} = 'dead'`,
              keyIsFree,
              sql`not exists (select 1 from jobs newer where newer.unique_key = ${jobs.uniqueKey}
                and newer.status = 'dead' and newer.id > ${jobs.id})`,
            ),
          )
          .returning({ id: jobs.id });
        const [left] = await q.select({ n: count() }).from(jobs).where(sql`${jobs.status} = 'dead'`);
        const counts = { retried: rows.length, skipped: Number(left?.n ?? 0) };
        if (counts.retried) await options.inTx?.(ctx, counts);
        return counts;
      });
    },

    /** Only a queued job can be cancelled (a running one is already in a handler's hands). */
    async cancel(id: number, options: ChangeOptions = {}): Promise<boolean> {
      return db.tx(async (ctx) => {
        const rows = await ctx.db
          .update(jobs)
          .set({ status: 'cancelled', finishedAt: clock.now() })
          .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
          .returning({ id: jobs.id });
        if (rows.length === 1) await options.inTx?.(ctx);
        return rows.length === 1;
      });
    },

    /** Counts by status, of all jobs or of one job name. */
    stats: (filter: { name?: string } = {}): Promise<JobStats> => readJobStats(db, clock.now(), filter),

    /** Deletes succeeded and cancelled jobs finished before `olderThan`; dead jobs stay for review. */
    async pruneFinished(olderThan: Date): Promise<number> {
      const finished = and(inArray(jobs.status, ['succeeded', 'cancelled']), lt(jobs.finishedAt, olderThan));
      return db.tx((ctx) => deleteWhere(ctx, jobs, finished));
    },
  };
}

export type JobAdmin = ReturnType<typeof jobAdmin>;

/** Counts by status, and how long the oldest due job has waited (a backlog past the threshold). */
async function readJobStats(db: Db, now: Date, filter: { name?: string }): Promise<JobStats> {
  const { jobs } = db.reader.t;
  const byName = filter.name ? eq(jobs.name, filter.name) : undefined;
  // The oldest due job first, then the counts: a job claimed between the two reads is then seen
  // queued or running, never neither (which made a caller waiting for the queue to drain stop early).
  const [oldest] = await db.reader.db
    .select({ runAt: min(jobs.runAt) })
    .from(jobs)
    .where(and(sql`${jobs.status} = 'queued'`, sql`${jobs.runAt} <= ${timeParam(db, now)}`, byName));
  const rows = await db.reader.db
    .select({ status: jobs.status, n: count() })
    .from(jobs)
    .where(byName)
    .groupBy(jobs.status);
  const counts = Object.fromEntries(jobStatuses.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  const runAt = oldest?.runAt ? new Date(oldest.runAt as unknown as string | number | Date) : null;
  const oldestDueSeconds = runAt ? Math.max(0, Math.round((now.getTime() - runAt.getTime()) / 1000)) : null;
  return { counts, oldestDueSeconds, backlog: (oldestDueSeconds ?? 0) > backlogThresholdSeconds };
}
