import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { templates, templateVersions } from './chart.ts';
import { documents } from './documents.ts';
import { patients } from './patients.ts';
import { appointments, services } from './scheduling.ts';

/** The forms area: forms sent to patients and the forms a service sends (see schema/sqlite/forms.ts). */

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const patientForms = pgTable(
  'patient_forms',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    templateId: text('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    appointmentId: text('appointment_id').references(() => appointments.id),
    status: text('status').notNull(),
    answers: text('answers').notNull(),
    version: integer('version').notNull(),
    sentBy: text('sent_by').references(() => staffAccounts.id),
    sentAt: instant('sent_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    submittedAt: instant('submitted_at'),
    submittedBy: text('submitted_by'),
    signatureKind: text('signature_kind'),
    signatureName: text('signature_name'),
    signatureImage: text('signature_image'),
    signedAt: instant('signed_at'),
    signedIp: text('signed_ip'),
    signedUserAgent: text('signed_user_agent'),
    documentId: text('document_id').references(() => documents.id),
    reviewedAt: instant('reviewed_at'),
    reviewedBy: text('reviewed_by').references(() => staffAccounts.id),
    remindedAt: instant('reminded_at'),
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

export const serviceForms = pgTable(
  'service_forms',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    templateId: text('template_id')
      .notNull()
      .references(() => templates.id),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.templateId] })],
);
