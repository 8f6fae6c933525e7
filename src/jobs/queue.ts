import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Db, type DbCtx, type Dialect, execute } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { cancelQueuedJobs, enqueueJob } from './enqueue.ts';
import type { EnqueueOptions, Job, JobDefinition, JobType } from './types.ts';

/**
 * The durable queue over the `jobs` table: enqueue inside the caller's transaction (outbox), and
 * the worker's side — claim with a lease, complete, fail, release, renew, reap expired leases.
 * Every change a worker makes is guarded by `locked_by = <instance> and status = 'running'`, so a
 * worker whose lease expired and was taken over cannot overwrite the new owner's result.
 *
 * Status literals are written into the SQL (not bound) so SQLite and PostgreSQL use the partial
 * indexes `jobs_claim` and `jobs_lease`.
 */
export interface JobQueue {
  /** Adds a job in `ctx`'s transaction; with a live unique key, returns the existing job. */
  enqueue<P>(
    ctx: DbCtx,
    job: JobType<P>,
    payload: NoInfer<P>,
    options?: EnqueueOptions,
  ): Promise<{ id: number; created: boolean }>;
  /** Cancels, in `ctx`'s transaction, the queued jobs whose unique key starts with `prefix` (a moved appointment's reminders). */
  cancelQueued(ctx: DbCtx, uniqueKeyPrefix: string): Promise<number>;
  /** Calls `listener` after a transaction that enqueued a job commits (same process). */
  onEnqueued(listener: () => void): () => void;
  /**
   * Up to `limit` due jobs, leased to `instanceId`: queued ones, and running ones whose lease
   * ended (their worker died; the crashed run stays counted, out of attempts means dead).
   * `finished` are this instance's jobs that succeeded meanwhile, recorded in the same
   * transaction (one commit, one fsync, for both).
   */
  claim(instanceId: string, limit: number, leaseMs: number, finished?: number[]): Promise<Job[]>;
  complete(instanceId: string, ids: number[]): Promise<number>;
  /** Records a failure: queued again at `retryAt`, or dead when `retryAt` is null. */
  fail(instanceId: string, id: number, error: string, retryAt: Date | null): Promise<boolean>;
  /** Hands running jobs back without counting the attempt (shutdown). */
  release(instanceId: string, ids: number[]): Promise<number>;
  /** Extends the leases this instance still holds; returns their ids (a missing one was lost). */
  renew(instanceId: string, ids: number[], leaseMs: number): Promise<number[]>;
  /** Jobs whose lease ended (their worker died) become claimable, or dead if out of attempts. */
  reapExpired(): Promise<number>;
  /** At start-up: jobs an earlier process with this instance id held are claimable at once. */
  releaseStale(instanceId: string): Promise<number>;
}

/** A time as a raw SQL parameter: SQLite stores epoch ms, PostgreSQL timestamptz. */
export const timeParam = (db: Pick<Db, 'dialect'>, d: Date): SQL =>
  db.dialect === 'sqlite' ? sql`${d.getTime()}` : sql`${d.toISOString()}::timestamptz`;

/**
 * The ids a claim takes: running jobs whose lease ended (their worker died: runnable as soon as
 * the lease ends, not at the next reaper pass; they were at the head of the queue when first
 * claimed, so they come first), then due queued jobs in order. No sort of the two together: each
 * part is read in index order and the limit stops the reading (a sort here cost 10 % of the
 * drain rate on SQLite). The crashed run stays counted; one out of attempts is left to the
 * reaper, which buries it. Exported for the benchmark's EXPLAIN.
 */
export function claimCandidates(dialect: Dialect, now: Date, limit: number): SQL {
  if (dialect === 'sqlite') {
    // Without statistics SQLite prefers jobs_status_finished and sorts every queued row (6 ms a
    // claim at 50k queued, measured); the partial indexes answer in order (0.02 ms).
    const at = now.getTime();
    return sql`select id from (select id from jobs indexed by jobs_lease
          where status = 'running' and lease_until < ${at} and attempts < max_attempts limit ${limit})
      union all
      select id from (select id from jobs indexed by jobs_claim
          where status = 'queued' and run_at <= ${at} order by priority, run_at, id limit ${limit})
      limit ${limit}`;
  }
  // SKIP LOCKED lets several processes claim at once without waiting for each other.
  const at = timeParam({ dialect }, now);
  return sql`with ended as (
      select id from jobs where status = 'running' and lease_until < ${at}
        and attempts < max_attempts limit ${limit} for update skip locked),
    due as (
      select id from jobs where status = 'queued' and run_at <= ${at}
        order by priority, run_at, id limit ${limit} for update skip locked)
    select id from ended union all select id from due limit ${limit}`;
}

const RUNNING = sql.raw(`'running'`);
const leaseExpired = 'lease expired: the worker stopped without finishing the job';

type JobsTable = Db['reader']['t']['jobs'];

/** The rows of `ids` this instance still runs (every worker-side change is guarded by it). */
const ownedRunning = (jobs: JobsTable, instanceId: string, ids: number[]) =>
  and(inArray(jobs.id, ids), sql`${jobs.status} = ${RUNNING}`, eq(jobs.lockedBy, instanceId));

/** Records this instance's running jobs `ids` as succeeded; returns how many it still held. */
async function markSucceeded(ctx: DbCtx, instanceId: string, ids: number[], now: Date): Promise<number> {
  const jobs = ctx.t.jobs;
  const rows = await ctx.db
    .update(jobs)
    .set({ status: 'succeeded', finishedAt: now, leaseUntil: null })
    .where(ownedRunning(jobs, instanceId, ids))
    .returning({ id: jobs.id });
  return rows.length;
}

/** Leases the claim candidates to `instanceId` (one statement, see claimCandidates), in queue order. */
async function leaseCandidates(ctx: DbCtx, instanceId: string, limit: number, leaseMs: number, now: Date) {
  const jobs = ctx.t.jobs;
  if (ctx.dialect === 'postgres') {
    // On a table not yet analysed PostgreSQL may sort all queued rows; the index gives the
    // order. Where a sort is unavoidable, pricing sorts out makes the statement look costly
    // enough to JIT-compile it (150 ms a claim, measured): no JIT here either.
    await execute(ctx, sql`select set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`);
  }
  const candidates = claimCandidates(ctx.dialect, now, limit);
  const claimed = await ctx.db
    .update(jobs)
    .set({
      status: 'running',
      lockedBy: instanceId,
      leaseUntil: new Date(now.getTime() + leaseMs),
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: now,
      lastError: sql`case when ${jobs.status} = ${RUNNING} then ${leaseExpired} else ${jobs.lastError} end`,
    })
    .where(sql`${jobs.id} in (${candidates})`)
    .returning();
  return claimed.sort((a, b) => a.priority - b.priority || +a.runAt - +b.runAt || a.id - b.id);
}

/** Ends the leases matching `where`: back to queued, or dead when out of attempts. */
function expireLeases(db: Db, clock: Clock, where: SQL, reason: string): Promise<number> {
  const { jobs } = db.reader.t;
  return db.tx(async ({ db: q }) => {
    const now = clock.now();
    const rows = await q
      .update(jobs)
      .set({
        status: sql`case when ${jobs.attempts} >= ${jobs.maxAttempts} then 'dead' else 'queued' end`,
        finishedAt: sql`case when ${jobs.attempts} >= ${jobs.maxAttempts} then ${timeParam(db, now)} else null end`,
        lastError: reason,
        lockedBy: null,
        leaseUntil: null,
        runAt: now,
      })
      .where(where)
      .returning({ id: jobs.id });
    return rows.length;
  });
}

/**
 * Running jobs whose lease ended before `now` (jobs_lease index). On PostgreSQL the rows are
 * locked SKIP LOCKED, so concurrent claimers and reapers each take different ones, never wait.
 */
function leaseEnded(db: Db, now: Date): SQL {
  const { jobs } = db.reader.t;
  return db.dialect === 'sqlite'
    ? sql`${jobs.status} = ${RUNNING} and ${jobs.leaseUntil} < ${timeParam(db, now)}`
    : sql`${jobs.id} in (select id from jobs where status = ${RUNNING} and lease_until < ${timeParam(db, now)}
          for update skip locked)`;
}

/** Updates this instance's running jobs `ids` with `set`; answers the ids it still held. */
function updateOwned(
  db: Db,
  instanceId: string,
  ids: number[],
  set: (jobs: JobsTable) => Parameters<ReturnType<DbCtx['db']['update']>['set']>[0],
): Promise<number[]> {
  return db.tx(async ({ db: q, t }) => {
    const rows = await q
      .update(t.jobs)
      .set(set(t.jobs))
      .where(ownedRunning(t.jobs, instanceId, ids))
      .returning({ id: t.jobs.id });
    return rows.map((r) => r.id);
  });
}

/** The queue over `deps.db`'s jobs table; `definitions` give enqueue its default max attempts. */
export function createJobQueue(deps: {
  db: Db;
  clock: Clock;
  definitions?: ReadonlyMap<string, JobDefinition<any>>;
}): JobQueue {
  const { db, clock } = deps;
  const { jobs } = db.reader.t;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };

  return {
    enqueue: (ctx, job, payload, options = {}) =>
      enqueueJob(ctx, { clock, definitions: deps.definitions, afterCommit: notify }, job, payload, options),

    cancelQueued: (ctx, uniqueKeyPrefix) => cancelQueuedJobs(ctx, clock.now(), uniqueKeyPrefix),

    onEnqueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    claim(instanceId, limit, leaseMs, finished = []) {
      if (limit <= 0 && finished.length === 0) return Promise.resolve([]);
      return db.tx(async (ctx) => {
        const now = clock.now();
        if (finished.length) await markSucceeded(ctx, instanceId, finished, now);
        if (limit <= 0) return [];
        return leaseCandidates(ctx, instanceId, limit, leaseMs, now);
      });
    },

    async complete(instanceId, ids) {
      if (ids.length === 0) return 0;
      return db.tx((ctx) => markSucceeded(ctx, instanceId, ids, clock.now()));
    },

    async fail(instanceId, id, error, retryAt) {
      const done = await updateOwned(db, instanceId, [id], () =>
        retryAt
          ? { status: 'queued', runAt: retryAt, lastError: error, lockedBy: null, leaseUntil: null }
          : { status: 'dead', finishedAt: clock.now(), lastError: error, leaseUntil: null },
      );
      return done.length === 1;
    },

    async release(instanceId, ids) {
      if (ids.length === 0) return 0;
      const released = await updateOwned(db, instanceId, ids, (j) => ({
        status: 'queued',
        attempts: sql`${j.attempts} - 1`,
        lockedBy: null,
        leaseUntil: null,
        runAt: clock.now(),
      }));
      return released.length;
    },

    async renew(instanceId, ids, leaseMs) {
      if (ids.length === 0) return [];
      return updateOwned(db, instanceId, ids, () => ({
        leaseUntil: new Date(clock.now().getTime() + leaseMs),
      }));
    },

    reapExpired: () => expireLeases(db, clock, leaseEnded(db, clock.now()), leaseExpired),

    releaseStale: (instanceId) =>
      expireLeases(
        db,
        clock,
        and(sql`${jobs.status} = ${RUNNING}`, eq(jobs.lockedBy, instanceId))!,
        'the process that ran it stopped without finishing the job',
      ),
  };
}
