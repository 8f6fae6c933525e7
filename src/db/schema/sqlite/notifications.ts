import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';

/** The notifications area: deliveries, templates, push devices and the SMS budget. */

/** SMS segments sent per calendar month (UTC, "YYYY-MM"), for the monthly budget. */
export const smsUsage = sqliteTable('sms_usage', {
  month: text('month').primaryKey(),
  segments: integer('segments').notNull(),
});

/**
 * The delivery log: one row per outgoing email, SMS or push, written in the transaction that
 * enqueues its job and updated by the job. Never the body, a code or a link — only who, how,
 * what kind, and what happened.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    jobId: integer('job_id'),
    patientId: text('patient_id').references(() => patients.id),
    staffId: text('staff_id').references(() => staffAccounts.id),
    /** Whose consents and address it goes by: the patient, or a guardian of a dependant; null = an address given. */
    contactId: text('contact_id').references(() => patients.id),
    recipient: text('recipient').notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    messageType: text('message_type').notNull(),
    language: text('language').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'skipped'] }).notNull(),
    providerId: text('provider_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** An SMS's segments, once counted against the monthly budget (counted once, whatever the retries). */
    smsSegments: integer('sms_segments'),
    /** Makes a re-run of the job that dispatched it recognisable (one delivery per key). */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('deliveries_patient').on(t.patientId, t.createdAt),
    index('deliveries_status').on(t.status, t.createdAt),
    index('deliveries_created').on(t.createdAt),
    /** The Reports page's SMS count per month. */
    index('deliveries_sent').on(t.channel, t.sentAt),
    index('deliveries_job').on(t.jobId),
  ],
);

/** The clinic's own wording of a message, per type, channel and language (else the shipped default). */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    messageType: text('message_type').notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    language: text('language').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageType, t.channel, t.language] })],
);

/** Web push subscriptions of patients' installed apps (one per browser endpoint). */
export const pushSubscriptions = sqliteTable(
  'push_subscriptions',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    endpoint: text('endpoint').notNull().unique(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSuccessAt: integer('last_success_at', { mode: 'timestamp_ms' }),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('push_subscriptions_patient').on(t.patientId)],
);
