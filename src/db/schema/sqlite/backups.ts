import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The backups area: scheduled and on-demand backups (one row a run, its attempts included). */

/**
 * One backup run, scheduled or asked for ("Back up now"): queued → running → succeeded, or
 * failed once its job has no attempts left (`retrying` between attempts, the last error kept).
 * `error` is the failure as an admin reads it, never a secret; `target` is where it went.
 */
export const backupRuns = sqliteTable(
  'backup_runs',
  {
    id: text('id').primaryKey(),
    /** The job that runs it (its retries are that job's attempts). */
    jobId: integer('job_id'),
    /** schedule or manual. */
    trigger: text('trigger').notNull(),
    /** The staff member who asked (manual runs). */
    requestedBy: text('requested_by'),
    /** queued, running, retrying, succeeded, failed. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    target: text('target').notNull(),
    /** The archive's file name, once written. */
    archive: text('archive'),
    size: integer('size'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('backup_runs_created').on(t.createdAt), index('backup_runs_job').on(t.jobId)],
);
