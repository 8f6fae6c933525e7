import {
  foreignKey,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';
import { appointments } from './scheduling.ts';

/** The chart area: templates (notes and patients' forms), treatment notes and their addenda. */

/**
 * A template: what stays the same across its versions (its kind, which starter it was shipped as).
 * `latest_version` is the version new notes are written with.
 */
export const templates = sqliteTable(
  'templates',
  {
    id: text('id').primaryKey(),
    /** note or form. */
    kind: text('kind').notNull(),
    /** The shipped starter it was made from at first start (soap, physio-initial…); null when made by staff. */
    starterKey: text('starter_key'),
    latestVersion: integer('latest_version').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('templates_starter_key').on(t.starterKey)],
);

/**
 * One version of a template: its name and its list of fields (JSON text, chart.schema.ts's
 * `templateFields`). Never changed once written: an edit is a new version.
 */
export const templateVersions = sqliteTable(
  'template_versions',
  {
    templateId: text('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    fields: text('fields').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    createdBy: text('created_by').references(() => staffAccounts.id),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

/**
 * A treatment note: the answers (JSON text, keyed by field id) to one template version. A draft
 * is changed by its author only, each save with the version read (`version` + 1); signing sets
 * `signed_at`/`signed_by` and `content_hash` (SHA-256 of the canonical content) and the note never
 * changes again.
 */
export const notes = sqliteTable(
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
    /** draft or signed. */
    status: text('status').notNull(),
    answers: text('answers').notNull(),
    version: integer('version').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    signedAt: integer('signed_at', { mode: 'timestamp_ms' }),
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

/** A correction or addition to a signed note: signed when written, with its own hash; never changed. */
export const noteAddenda = sqliteTable(
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
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [index('note_addenda_note').on(t.noteId, t.createdAt)],
);
