import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { documents } from './documents.ts';
import { patients } from './patients.ts';

/**
 * The messaging area: conversations between a patient (or their guardian) and the clinic. A
 * thread belongs to one patient; its messages are health data (never logged, queued or sent in a
 * notification). Read markers are per reader; quick replies and the settings are the clinic's.
 */

/**
 * A conversation about one patient: open or closed, assigned to a staff member or left to the
 * front desk (null). `lastPatientAt` / `lastStaffAt` (the last message each side wrote) make the
 * unread counts one indexed query.
 */
export const messageThreads = sqliteTable(
  'message_threads',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    subject: text('subject').notNull(),
    /** open or closed. */
    status: text('status').notNull(),
    assignedTo: text('assigned_to').references(() => staffAccounts.id),
    /** patient (the patient or a guardian, from the app), staff, or sms (an SMS reply). */
    startedBy: text('started_by').notNull(),
    /** The patient, guardian or staff member who started it (null: an SMS). */
    startedById: text('started_by_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    lastMessageAt: integer('last_message_at', { mode: 'timestamp_ms' }).notNull(),
    lastPatientAt: integer('last_patient_at', { mode: 'timestamp_ms' }),
    lastStaffAt: integer('last_staff_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    closedBy: text('closed_by').references(() => staffAccounts.id),
  },
  (t) => [
    index('message_threads_patient').on(t.patientId, t.lastMessageAt),
    index('message_threads_status').on(t.status, t.assignedTo, t.lastMessageAt),
  ],
);

/** One message of a thread: its author (patient, guardian, staff, or sms from the patient's phone) and text. */
export const threadMessages = sqliteTable(
  'thread_messages',
  {
    id: text('id').primaryKey(),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id),
    /** The thread's patient (scoping and merges). */
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** patient, guardian, staff or sms. */
    authorKind: text('author_kind').notNull(),
    /** The patient, guardian or staff member (null: an SMS). */
    authorId: text('author_id'),
    text: text('text').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('thread_messages_thread').on(t.threadId, t.createdAt),
    index('thread_messages_author').on(t.authorId, t.createdAt),
  ],
);

/** A document (of the thread's patient, stored by the documents area) attached to a message. */
export const messageAttachments = sqliteTable(
  'message_attachments',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => threadMessages.id),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.documentId] })],
);

/** How far one reader (a patient, a guardian, a staff member) has read a thread. */
export const threadReads = sqliteTable(
  'thread_reads',
  {
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id),
    readerId: text('reader_id').notNull(),
    /** patient or staff. */
    readerKind: text('reader_kind').notNull(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.readerId] })],
);

/** A saved snippet staff insert into a reply (the clinic edits them). */
export const quickReplies = sqliteTable('quick_replies', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  text: text('text').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** The clinic's messaging settings: one row (id 'clinic'); absent = the defaults. */
export const messagingSettings = sqliteTable('messaging_settings', {
  id: text('id').primaryKey(),
  patientsMayStart: integer('patients_may_start', { mode: 'boolean' }).notNull(),
  /** "We reply within N working days" (null: not said). */
  replyWithinDays: integer('reply_within_days'),
  /** A patient's reply to a closed thread reopens it (else it is refused: start a new one). */
  reopenOnReply: integer('reopen_on_reply', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** A staff member's own choice: an email (never the text) when a patient writes to a thread they see. */
export const staffMessageAlerts = sqliteTable('staff_message_alerts', {
  staffId: text('staff_id')
    .primaryKey()
    .references(() => staffAccounts.id),
  email: integer('email', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * An inbound SMS from a number no patient has: kept for staff to assign to a patient (then it
 * becomes a message of that patient's thread).
 */
export const unmatchedSms = sqliteTable(
  'unmatched_sms',
  {
    id: text('id').primaryKey(),
    fromPhone: text('from_phone').notNull(),
    text: text('text').notNull(),
    provider: text('provider').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    /** Set when staff assigned it to a patient: the message it became. */
    messageId: text('message_id').references(() => threadMessages.id),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedBy: text('resolved_by').references(() => staffAccounts.id),
  },
  (t) => [index('unmatched_sms_open').on(t.resolvedAt, t.receivedAt)],
);

/** Inbound SMS already taken (Twilio's MessageSid or the gateway's id): a retried webhook stores nothing twice. */
export const inboundSmsSeen = sqliteTable(
  'inbound_sms_seen',
  {
    provider: text('provider').notNull(),
    providerId: text('provider_id').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerId] })],
);
