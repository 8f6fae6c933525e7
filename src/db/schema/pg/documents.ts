import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';
import { appointments } from './scheduling.ts';

/** The documents area: files on a patient's chart, kept encrypted in the blob store. */

export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    category: text('category').notNull(),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    objectKey: text('object_key').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    documentDate: text('document_date').notNull(),
    appointmentId: text('appointment_id').references(() => appointments.id),
    sharedWithPatient: boolean('shared_with_patient').notNull().default(false),
    sharedAt: timestamp('shared_at', { withTimezone: true, mode: 'date' }),
    source: text('source').notNull(),
    uploadedBy: text('uploaded_by').references(() => staffAccounts.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'date' }),
    reviewedBy: text('reviewed_by').references(() => staffAccounts.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    deletedBy: text('deleted_by').references(() => staffAccounts.id),
    deleteReason: text('delete_reason'),
    purgedAt: timestamp('purged_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('documents_object_key').on(t.objectKey),
    index('documents_patient').on(t.patientId, t.createdAt),
    index('documents_to_review').on(t.createdAt).where(sql`source = 'patient' and reviewed_at is null`),
    index('documents_deleted').on(t.deletedAt).where(sql`deleted_at is not null and purged_at is null`),
  ],
);
