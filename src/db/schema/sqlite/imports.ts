import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The imports area: CSV files from another system (patients, appointments), run by a job. */

/**
 * One CSV import started from the admin page. uploaded (file stored encrypted, mapping being
 * chosen) → queued → running → done or failed. The job writes whole batches, each with
 * `next_row` and the counts in the same transaction, so a restart resumes after the last whole
 * batch. The uploaded file is removed when the import ends; the rejected rows (with reasons)
 * are kept as an encrypted CSV until they are downloaded or the import is removed.
 */
export const imports = sqliteTable(
  'imports',
  {
    id: text('id').primaryKey(),
    /** patients or appointments. */
    kind: text('kind').notNull(),
    /** uploaded, queued, running, done, failed. */
    status: text('status').notNull(),
    /** cliniko, jane or generic: what the header looked like. */
    source: text('source').notNull(),
    /** Field → the column headers that make it. */
    mapping: text('mapping', { mode: 'json' }).$type<Record<string, string[]>>().notNull(),
    /** auto, ymd, dmy or mdy. */
    dateFormat: text('date_format').notNull(),
    /** Appointments only: send the patients their confirmations and reminders. */
    notify: integer('notify', { mode: 'boolean' }).notNull(),
    batchSize: integer('batch_size').notNull(),
    fileName: text('file_name').notNull(),
    objectKey: text('object_key'),
    wrappedKey: text('wrapped_key'),
    size: integer('size'),
    sha256: text('sha256'),
    totalRows: integer('total_rows').notNull(),
    /** Data rows done (whole batches): where a resumed run goes on. */
    nextRow: integer('next_row').notNull(),
    imported: integer('imported').notNull(),
    onFile: integer('on_file').notNull(),
    rejected: integer('rejected').notNull(),
    rejectedObjectKey: text('rejected_object_key'),
    rejectedWrappedKey: text('rejected_wrapped_key'),
    rejectedSize: integer('rejected_size'),
    rejectedSha256: text('rejected_sha256'),
    error: text('error'),
    createdById: text('created_by_id').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('imports_created').on(t.createdAt)],
);
