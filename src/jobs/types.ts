import type { z } from 'zod';
import type { jobs } from '../db/schema/sqlite.ts';
import type { Logger } from '../lib/log.ts';

/** A row of the `jobs` table. */
export type Job = typeof jobs.$inferSelect;
export type JobStatus = Job['status'];
export const jobStatuses: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'dead', 'cancelled'];

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** At most one unfinished (queued or running) job per key; a second enqueue returns the first. */
  uniqueKey?: string;
  /** Attempts before the job is dead (default: the job definition's, else 5). */
  maxAttempts?: number;
  /** Lower runs first among due jobs (default 0; negative for urgent, positive for background). */
  priority?: number;
  /** The request that caused the job, for tracing. */
  requestId?: string;
}

export interface Backoff {
  /** Delay before the first retry. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

export interface JobContext {
  job: Job;
  /** 1 for the first run. */
  attempt: number;
  /** Aborted when the job times out or the worker stops past its grace period. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * Whether this run is the job's last: if it fails, the job is dead rather than retried (a handler
 * then marks what it was doing as failed, so no one waits for it).
 */
export const isLastAttempt = (ctx: Pick<JobContext, 'attempt' | 'job'>): boolean =>
  ctx.attempt >= ctx.job.maxAttempts;

/**
 * Whether a run's failure ends the job (dead, not retried): on its last attempt, or with a
 * PermanentJobError whatever the attempt.
 */
export const failureEndsJob = (ctx: Pick<JobContext, 'attempt' | 'job'>, error: unknown): boolean =>
  error instanceof PermanentJobError || isLastAttempt(ctx);

/**
 * Runs a handler's `work`; when its failure ends the job (the last attempt, or a permanent error),
 * `markFailed` first marks what the job was doing as failed (so no one waits for it). The error
 * goes on either way: the queue retries the job, or it is dead.
 */
export async function markFailedOnLastAttempt(
  ctx: Pick<JobContext, 'attempt' | 'job'>,
  work: () => Promise<void>,
  markFailed: (error: unknown) => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (failureEndsJob(ctx, error)) await markFailed(error);
    throw error;
  }
}

/**
 * A kind of job as those who enqueue it see it: its name (`area.verb-noun`) and the zod schema of
 * its payload. Enqueueing takes this, not a name string, so a payload is typed by its job.
 */
export interface JobType<P = unknown> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
}

export const jobType = <P>(name: string, payload: z.ZodType<P>): JobType<P> => ({ name, payload });

/**
 * A kind of job with its handler: the payload must satisfy the schema when claimed, and the retry
 * policy applies to each run. Handlers must be safe to run twice: re-read state, and pass an
 * idempotency key to providers.
 */
export interface JobDefinition<P = unknown> extends JobType<P> {
  maxAttempts?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  handle(payload: P, ctx: JobContext): Promise<void>;
}

/** The job `type` with its handler and retry policy. */
export const defineJob = <P>(
  type: JobType<P>,
  definition: Omit<JobDefinition<P>, 'name' | 'payload'>,
): JobDefinition<P> => ({ ...definition, name: type.name, payload: type.payload });

/** Thrown by a handler when retrying cannot help (e.g. an SMTP 5xx): the job goes dead at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export const jobDefaults = {
  maxAttempts: 5,
  backoff: { baseMs: 10_000, capMs: 60 * 60_000 } satisfies Backoff,
  timeoutMs: 5 * 60_000,
};
