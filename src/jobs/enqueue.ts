import { and, eq, sql } from 'drizzle-orm';
import type { DbCtx } from '../db/client.ts';
import { param, preparedQuery } from '../db/prepared.ts';
import type { Clock } from '../lib/clock.ts';
import { currentRequestId } from '../lib/request-scope.ts';
import { type EnqueueOptions, type JobDefinition, type JobType, jobDefaults } from './types.ts';

const QUEUED = sql.raw(`'queued'`);
const RUNNING = sql.raw(`'running'`);

/**
 * Adds a job in `ctx`'s transaction (the outbox: the job exists exactly when the change that
 * caused it does); `afterCommit` runs once that commits (waking this process's worker). With a
 * live unique key, answers the existing job instead.
 */
export async function enqueueJob<P>(
  ctx: DbCtx,
  deps: {
    clock: Clock;
    definitions?: ReadonlyMap<string, JobDefinition<any>> | undefined;
    afterCommit: () => void;
  },
  job: JobType<P>,
  payload: P,
  options: EnqueueOptions,
): Promise<{ id: number; created: boolean }> {
  const { name } = job;
  const t = ctx.t.jobs;
  const now = deps.clock.now();
  const maxAttempts =
    options.maxAttempts ?? deps.definitions?.get(name)?.maxAttempts ?? jobDefaults.maxAttempts;
  const inserted = (await insertJob(ctx, {
    name,
    payload: payload ?? {},
    runAt: options.runAt ?? now,
    maxAttempts,
    uniqueKey: options.uniqueKey ?? null,
    priority: options.priority ?? 0,
    // The request that caused it, so its log lines and the job's match.
    requestId: options.requestId ?? currentRequestId() ?? null,
    createdAt: now,
  })) as { id: number }[];
  if (inserted[0]) {
    ctx.afterCommit(deps.afterCommit);
    return { id: inserted[0].id, created: true };
  }
  const [existing] = await ctx.db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.uniqueKey, options.uniqueKey ?? ''), sql`${t.status} in (${QUEUED}, ${RUNNING})`));
  if (!existing) throw new Error(`enqueue ${name}: conflict without a live job for its unique key`);
  return { id: existing.id, created: false };
}

interface NewJob {
  name: string;
  payload: unknown;
  runAt: Date;
  maxAttempts: number;
  uniqueKey: string | null;
  priority: number;
  requestId: string | null;
  createdAt: Date;
}

// Prepared: building the insert's SQL was 40 % of an enqueue's CPU (bench:jobs, SQLite FULL).
const insertJob = preparedQuery<NewJob, unknown>((ctx) => {
  const t = ctx.t.jobs;
  return ctx.db
    .insert(t)
    .values({
      name: param('name'),
      payload: param('payload'),
      status: 'queued',
      runAt: param('runAt'),
      maxAttempts: param('maxAttempts'),
      uniqueKey: param('uniqueKey'),
      priority: param('priority'),
      requestId: param('requestId'),
      createdAt: param('createdAt'),
    } as unknown as typeof t.$inferInsert)
    .onConflictDoNothing()
    .returning({ id: t.id });
});

/** Cancels, in `ctx`'s transaction, the queued jobs whose unique key starts with `prefix`. */
export async function cancelQueuedJobs(ctx: DbCtx, now: Date, uniqueKeyPrefix: string): Promise<number> {
  if (!uniqueKeyPrefix) throw new Error('cancelQueued: an empty prefix would cancel every keyed job');
  const t = ctx.t.jobs;
  // LIKE with the prefix escaped: the same meaning on both dialects whatever the collation.
  const pattern = `${uniqueKeyPrefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = await ctx.db
    .update(t)
    .set({ status: 'cancelled', finishedAt: now })
    .where(and(sql`${t.status} = ${QUEUED}`, sql`${t.uniqueKey} like ${pattern} escape '\\'`))
    .returning({ id: t.id });
  return rows.length;
}
