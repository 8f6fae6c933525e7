import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The durable job queue (src/jobs) and idempotency keys (src/db/idempotency.ts). */

/**
 * The durable job queue (jobs/). A job carries ids, not documents. `unique_key` is unique among
 * unfinished jobs only; the partial index `jobs_claim` serves the claim query in order.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'dead', 'cancelled'] }).notNull(),
    runAt: integer('run_at', { mode: 'timestamp_ms' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    uniqueKey: text('unique_key'),
    priority: integer('priority').notNull().default(0),
    requestId: text('request_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('jobs_unique_key_live').on(t.uniqueKey).where(sql`status in ('queued', 'running')`),
    index('jobs_claim').on(t.priority, t.runAt, t.id).where(sql`status = 'queued'`),
    index('jobs_lease').on(t.leaseUntil).where(sql`status = 'running'`),
    index('jobs_status_finished').on(t.status, t.finishedAt),
    index('jobs_name').on(t.name),
  ],
);

/** Recurring schedules: one row per stable id; `next_run_at` advances as each tick is enqueued. */
export const jobSchedules = sqliteTable('job_schedules', {
  id: text('id').primaryKey(),
  cron: text('cron').notNull(),
  timeZone: text('time_zone').notNull(),
  jobName: text('job_name').notNull(),
  nextRunAt: integer('next_run_at', { mode: 'timestamp_ms' }).notNull(),
  lastEnqueuedAt: integer('last_enqueued_at', { mode: 'timestamp_ms' }),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Idempotency keys: a retried request (a double-tapped "Book") with the same key gets the first
 * response back instead of doing the work twice. Scoped by who sent it; pruned after a day.
 */
export const idempotencyKeys = sqliteTable('idempotency_keys', {
  key: text('key').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  status: integer('status').notNull(),
  body: text('body', { mode: 'json' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});
