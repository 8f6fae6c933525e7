import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';

/** The notifications area: deliveries, templates, push devices and the SMS budget. */

/** SMS segments sent per calendar month (UTC, "YYYY-MM"), for the monthly budget. */
export const smsUsage = pgTable('sms_usage', {
  month: text('month').primaryKey(),
  segments: integer('segments').notNull(),
});

export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    jobId: bigint('job_id', { mode: 'number' }),
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
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
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

export const messageTemplates = pgTable(
  'message_templates',
  {
    messageType: text('message_type').notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    language: text('language').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageType, t.channel, t.language] })],
);

export const pushSubscriptions = pgTable(
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
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('push_subscriptions_patient').on(t.patientId)],
);
