import {
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';
import { appointments } from './scheduling.ts';

/** The chart area: templates (notes and patients' forms), treatment notes and their addenda. */

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const templates = pgTable(
  'templates',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    starterKey: text('starter_key'),
    latestVersion: integer('latest_version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('templates_starter_key').on(t.starterKey)],
);

export const templateVersions = pgTable(
  'template_versions',
  {
    templateId: text('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    fields: text('fields').notNull(),
    createdAt: instant('created_at').notNull(),
    createdBy: text('created_by').references(() => staffAccounts.id),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

export const notes = pgTable(
  'notes',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    templateId: text('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    appointmentId: text('appointment_id').references(() => appointments.id),
    authorId: text('author_id')
      .notNull()
      .references(() => staffAccounts.id),
    status: text('status').notNull(),
    answers: text('answers').notNull(),
    version: integer('version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    signedAt: instant('signed_at'),
    signedBy: text('signed_by').references(() => staffAccounts.id),
    contentHash: text('content_hash'),
  },
  (t) => [
    foreignKey({
      columns: [t.templateId, t.templateVersion],
      foreignColumns: [templateVersions.templateId, templateVersions.version],
    }),
    index('notes_patient').on(t.patientId, t.createdAt),
    index('notes_author_status').on(t.authorId, t.status),
    index('notes_appointment').on(t.appointmentId),
  ],
);

export const noteAddenda = pgTable(
  'note_addenda',
  {
    id: text('id').primaryKey(),
    noteId: text('note_id')
      .notNull()
      .references(() => notes.id),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    authorId: text('author_id')
      .notNull()
      .references(() => staffAccounts.id),
    text: text('text').notNull(),
    createdAt: instant('created_at').notNull(),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [index('note_addenda_note').on(t.noteId, t.createdAt)],
);
