import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The backups area: scheduled and on-demand backups (one row a run, its attempts included). */

export const backupRuns = pgTable(
  'backup_runs',
  {
    id: text('id').primaryKey(),
    jobId: bigint('job_id', { mode: 'number' }),
    trigger: text('trigger').notNull(),
    requestedBy: text('requested_by'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    target: text('target').notNull(),
    archive: text('archive'),
    size: bigint('size', { mode: 'number' }),
    durationMs: bigint('duration_ms', { mode: 'number' }),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('backup_runs_created').on(t.createdAt), index('backup_runs_job').on(t.jobId)],
);
