import { boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { documents } from './documents.ts';
import { patients } from './patients.ts';

/** The messaging area's tables (see schema/sqlite/messaging.ts). */

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A conversation about one patient: open or closed, assigned to a staff member or left to the
 * front desk (null). `lastPatientAt` / `lastStaffAt` (the last message each side wrote) make the
 * unread counts one indexed query.
 */
export const messageThreads = pgTable(
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
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    lastMessageAt: instant('last_message_at').notNull(),
    lastPatientAt: instant('last_patient_at'),
    lastStaffAt: instant('last_staff_at'),
    closedAt: instant('closed_at'),
    closedBy: text('closed_by').references(() => staffAccounts.id),
  },
  (t) => [
    index('message_threads_patient').on(t.patientId, t.lastMessageAt),
    index('message_threads_status').on(t.status, t.assignedTo, t.lastMessageAt),
  ],
);

/** One message of a thread: its author (patient, guardian, staff, or sms from the patient's phone) and text. */
export const threadMessages = pgTable(
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
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    index('thread_messages_thread').on(t.threadId, t.createdAt),
    index('thread_messages_author').on(t.authorId, t.createdAt),
  ],
);

/** A document (of the thread's patient, stored by the documents area) attached to a message. */
export const messageAttachments = pgTable(
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
export const threadReads = pgTable(
  'thread_reads',
  {
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id),
    readerId: text('reader_id').notNull(),
    /** patient or staff. */
    readerKind: text('reader_kind').notNull(),
    readAt: instant('read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.readerId] })],
);

/** A saved snippet staff insert into a reply (the clinic edits them). */
export const quickReplies = pgTable('quick_replies', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  text: text('text').notNull(),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** The clinic's messaging settings: one row (id 'clinic'); absent = the defaults. */
export const messagingSettings = pgTable('messaging_settings', {
  id: text('id').primaryKey(),
  patientsMayStart: boolean('patients_may_start').notNull(),
  /** "We reply within N working days" (null: not said). */
  replyWithinDays: integer('reply_within_days'),
  /** A patient's reply to a closed thread reopens it (else it is refused: start a new one). */
  reopenOnReply: boolean('reopen_on_reply').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** A staff member's own choice: an email (never the text) when a patient writes to a thread they see. */
export const staffMessageAlerts = pgTable('staff_message_alerts', {
  staffId: text('staff_id')
    .primaryKey()
    .references(() => staffAccounts.id),
  email: boolean('email').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/**
 * An inbound SMS from a number no patient has: kept for staff to assign to a patient (then it
 * becomes a message of that patient's thread).
 */
export const unmatchedSms = pgTable(
  'unmatched_sms',
  {
    id: text('id').primaryKey(),
    fromPhone: text('from_phone').notNull(),
    text: text('text').notNull(),
    provider: text('provider').notNull(),
    receivedAt: instant('received_at').notNull(),
    /** Set when staff assigned it to a patient: the message it became. */
    messageId: text('message_id').references(() => threadMessages.id),
    resolvedAt: instant('resolved_at'),
    resolvedBy: text('resolved_by').references(() => staffAccounts.id),
  },
  (t) => [index('unmatched_sms_open').on(t.resolvedAt, t.receivedAt)],
);

/** Inbound SMS already taken (Twilio's MessageSid or the gateway's id): a retried webhook stores nothing twice. */
export const inboundSmsSeen = pgTable(
  'inbound_sms_seen',
  {
    provider: text('provider').notNull(),
    providerId: text('provider_id').notNull(),
    receivedAt: instant('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerId] })],
);
