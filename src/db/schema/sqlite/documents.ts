import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';
import { appointments } from './scheduling.ts';

/** The documents area: files on a patient's chart, kept encrypted in the blob store. */

/**
 * One file on a patient's chart. The row is written only after its object is durably stored; the
 * object's name (`object_key`) carries ids only. `wrapped_key` is the file's own data key sealed
 * by the master key's files key (`keys rotate` re-seals it without touching the object). `sha256`
 * is of the plaintext, checked on every whole read. A delete is soft (`deleted_at`, with who and
 * why); the purge job removes the object after the retention period and sets `purged_at`.
 */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** referral, lab-result, imaging, letter, consent, id-insurance, other. */
    category: text('category').notNull(),
    title: text('title').notNull(),
    /** The uploaded file's name, cleaned (for the download's file name only). */
    fileName: text('file_name').notNull(),
    /** Sniffed from the bytes against the allow-list, never taken from the name or header. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    objectKey: text('object_key').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    /** The document's own date (a letter's, a result's), local YYYY-MM-DD. */
    documentDate: text('document_date').notNull(),
    appointmentId: text('appointment_id').references(() => appointments.id),
    sharedWithPatient: integer('shared_with_patient', { mode: 'boolean' }).notNull().default(false),
    /** When it was first shared (the patient is told once). */
    sharedAt: integer('shared_at', { mode: 'timestamp_ms' }),
    /** staff or patient. */
    source: text('source').notNull(),
    uploadedBy: text('uploaded_by').references(() => staffAccounts.id),
    /** A patient's upload waits in the Inbox until staff review it. */
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    reviewedBy: text('reviewed_by').references(() => staffAccounts.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
    deletedBy: text('deleted_by').references(() => staffAccounts.id),
    deleteReason: text('delete_reason'),
    purgedAt: integer('purged_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('documents_object_key').on(t.objectKey),
    index('documents_patient').on(t.patientId, t.createdAt),
    index('documents_to_review').on(t.createdAt).where(sql`source = 'patient' and reviewed_at is null`),
    index('documents_deleted').on(t.deletedAt).where(sql`deleted_at is not null and purged_at is null`),
  ],
);
