import { z } from 'zod';
import { issueKey } from '../../lib/messages.ts';

/** The longest message, in characters (a longer one is refused, never cut). */
export const MAX_MESSAGE_CHARS = 5000;
/** Messages one patient (with their dependants' threads) may send in an hour; past it 429 messages_rate_limited. */
export const PATIENT_MESSAGES_PER_HOUR = 20;
/** Documents one message may carry. */
export const MAX_ATTACHMENTS = 10;

export const threadStatuses = ['open', 'closed'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];
/** Who wrote a message: the patient, their guardian, a staff member, or an SMS from the patient's phone. */
export type AuthorKind = 'patient' | 'guardian' | 'staff' | 'sms';

/** A message's text: trimmed, not empty, at most MAX_MESSAGE_CHARS characters. */
export const messageText = z
  .string({ error: issueKey('message_text_required') })
  .trim()
  .min(1, { error: issueKey('message_text_required') })
  .max(MAX_MESSAGE_CHARS, { error: issueKey('message_too_long') });

const documentIds = z.array(z.string().min(1).max(100)).max(MAX_ATTACHMENTS).default([]);

/** A reply: `{text, documentIds?}` (documents of the thread's patient the author may see). */
export const replyInput = z.object({ text: messageText, documentIds });
export type ReplyInput = z.input<typeof replyInput>;

/** A new thread: `{subject, text, documentIds?, patientId?}` (a patient's dependant: `patientId`). */
export const startThreadInput = z.object({
  subject: z
    .string({ error: issueKey('message_subject_required') })
    .trim()
    .min(1, { error: issueKey('message_subject_required') })
    .max(200),
  text: messageText,
  documentIds,
  /** From the app: the dependant the thread is about (default: the signed-in patient). */
  patientId: z.string().min(1).max(100).optional(),
  /** From staff: assign it at once (a staff id), else the front desk. */
  assignedTo: z.string().min(1).max(100).nullable().optional(),
});
export type StartThreadInput = z.input<typeof startThreadInput>;

/** Staff change a thread: assign (a staff id, or null: the front desk), close, reopen. */
export const changeThreadInput = z
  .object({
    assignedTo: z.string().min(1).max(100).nullable().optional(),
    status: z.enum(threadStatuses).optional(),
  })
  .refine((v) => v.assignedTo !== undefined || v.status !== undefined, {
    error: 'Give assignedTo or status.',
  });
export type ChangeThreadInput = z.input<typeof changeThreadInput>;

/** The staff list's filters: status, and assignee `me`, `unassigned`, `any` or a staff id. */
export const staffListInput = z.object({
  status: z.enum(threadStatuses).optional(),
  assignee: z.string().min(1).max(100).optional(),
  patientId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type StaffListInput = z.input<typeof staffListInput>;

/** A quick reply: a title staff pick it by and its text. */
export const quickReplyInput = z.object({
  title: z.string().trim().min(1, 'Give it a title.').max(80),
  text: z.string().trim().min(1, 'Write its text.').max(MAX_MESSAGE_CHARS),
});
export type QuickReplyInput = z.input<typeof quickReplyInput>;

/** The clinic's messaging settings. */
export const messagingSettingsInput = z.object({
  patientsMayStart: z.boolean(),
  /** "We reply within N working days" (null: not said). */
  replyWithinDays: z.int().min(1).max(30).nullable(),
  /** A patient's reply to a closed thread reopens it (else refused: 409 thread_closed). */
  reopenOnReply: z.boolean(),
});
export type MessagingSettings = z.infer<typeof messagingSettingsInput>;

export const defaultMessagingSettings: MessagingSettings = {
  patientsMayStart: true,
  replyWithinDays: 2,
  reopenOnReply: true,
};

/** A staff member's own choice: an email when a patient writes (never the text). */
export const staffAlertInput = z.object({ email: z.boolean() });

/** Assign an unmatched inbound SMS to a patient (their latest open thread, else a new one). */
export const assignSmsInput = z.object({ patientId: z.string().min(1).max(100) });
