import { foreignKey, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { templates, templateVersions } from './chart.ts';
import { documents } from './documents.ts';
import { patients } from './patients.ts';
import { appointments, services } from './scheduling.ts';

/** The forms area: forms sent to patients (a form template version to fill in) and the forms a service sends. */

/**
 * A form sent to a patient: the answers (JSON text, keyed by field id) to one form template
 * version. sent → in_progress (first save) → submitted (signed, locked; its PDF in the patient's
 * documents) → reviewed (by clinical staff). Each save bumps `version`, so two devices never
 * overwrite each other. The signature is a drawn PNG (data URL) or a typed name with the
 * agreement ticked, with the time and the address it came from.
 */
export const patientForms = sqliteTable(
  'patient_forms',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    templateId: text('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    appointmentId: text('appointment_id').references(() => appointments.id),
    /** sent, in_progress, submitted or reviewed. */
    status: text('status').notNull(),
    answers: text('answers').notNull(),
    version: integer('version').notNull(),
    /** The staff member who sent it; null when a booking sent it. */
    sentBy: text('sent_by').references(() => staffAccounts.id),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    /** The patient (or guardian) who submitted it. */
    submittedBy: text('submitted_by'),
    /** drawn or typed (null: the template has no signature and none was given). */
    signatureKind: text('signature_kind'),
    signatureName: text('signature_name'),
    signatureImage: text('signature_image'),
    signedAt: integer('signed_at', { mode: 'timestamp_ms' }),
    signedIp: text('signed_ip'),
    signedUserAgent: text('signed_user_agent'),
    /** The submission's PDF in the patient's documents (made by a job after submitting). */
    documentId: text('document_id').references(() => documents.id),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    reviewedBy: text('reviewed_by').references(() => staffAccounts.id),
    /** When the patient was reminded of it (once, a day before its appointment). */
    remindedAt: integer('reminded_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    foreignKey({
      columns: [t.templateId, t.templateVersion],
      foreignColumns: [templateVersions.templateId, templateVersions.version],
    }),
    index('patient_forms_patient').on(t.patientId, t.sentAt),
    index('patient_forms_status').on(t.status, t.submittedAt),
    index('patient_forms_appointment').on(t.appointmentId),
  ],
);

/** The form templates a service sends with each booking of it (admins choose them on the service). */
export const serviceForms = sqliteTable(
  'service_forms',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    templateId: text('template_id')
      .notNull()
      .references(() => templates.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.templateId] })],
);
