import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The imports area: CSV files from another system (patients, appointments), run by a job. */

export const imports = pgTable(
  'imports',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    source: text('source').notNull(),
    mapping: jsonb('mapping').$type<Record<string, string[]>>().notNull(),
    dateFormat: text('date_format').notNull(),
    notify: boolean('notify').notNull(),
    batchSize: integer('batch_size').notNull(),
    fileName: text('file_name').notNull(),
    objectKey: text('object_key'),
    wrappedKey: text('wrapped_key'),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    totalRows: integer('total_rows').notNull(),
    nextRow: integer('next_row').notNull(),
    imported: integer('imported').notNull(),
    onFile: integer('on_file').notNull(),
    rejected: integer('rejected').notNull(),
    rejectedObjectKey: text('rejected_object_key'),
    rejectedWrappedKey: text('rejected_wrapped_key'),
    rejectedSize: bigint('rejected_size', { mode: 'number' }),
    rejectedSha256: text('rejected_sha256'),
    error: text('error'),
    createdById: text('created_by_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('imports_created').on(t.createdAt)],
);
