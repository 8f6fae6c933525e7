import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { patients } from './patients.ts';

/** The exports area: a patient's record as a zip (GDPR articles 15 and 20), built by a job. */

export const patientExports = pgTable(
  'patient_exports',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    requestedByType: text('requested_by_type').notNull(),
    requestedById: text('requested_by_id').notNull(),
    status: text('status').notNull(),
    objectKey: text('object_key'),
    wrappedKey: text('wrapped_key'),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    readyAt: timestamp('ready_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    purgedAt: timestamp('purged_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('patient_exports_patient').on(t.patientId, t.createdAt)],
);
