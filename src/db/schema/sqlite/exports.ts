import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

/** The exports area: a patient's record as a zip (GDPR articles 15 and 20), built by a job. */

/**
 * One export of one patient's record, asked for by a staff member or the patient (or their
 * guardian). queued → ready (the zip stored encrypted in the file vault) or failed. The zip may be
 * downloaded until `expires_at` (24 h after it was built); the sweep removes the file after that.
 */
export const patientExports = sqliteTable(
  'patient_exports',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** staff or patient: who asked (the export holds what that person may read). */
    requestedByType: text('requested_by_type').notNull(),
    requestedById: text('requested_by_id').notNull(),
    /** queued, ready, failed. */
    status: text('status').notNull(),
    objectKey: text('object_key'),
    wrappedKey: text('wrapped_key'),
    size: integer('size'),
    sha256: text('sha256'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    readyAt: integer('ready_at', { mode: 'timestamp_ms' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    /** When the file was removed after expiry. */
    purgedAt: integer('purged_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('patient_exports_patient').on(t.patientId, t.createdAt)],
);
