import type { Actor } from '../audit/index.ts';
import { changeThread } from './change-thread.ts';
import {
  assignUnmatched,
  type InboundOutcome,
  type InboundSms,
  listUnmatched,
  receiveSms,
} from './inbound-sms.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import type { PatientActor } from './messaging.policy.ts';
import type { MessageRow, ThreadRow, UnmatchedSmsRow } from './messaging.repo.ts';
import type { MessagingSettings } from './messaging.schema.ts';
import { quickReplies } from './quick-replies.ts';
import {
  listOwnThreads,
  listStaffThreads,
  markOwnRead,
  markStaffRead,
  readOwnThread,
  readStaffThread,
} from './read-threads.ts';
import { replyOwn, replyStaff } from './reply.ts';
import { changeSettings, changeStaffAlert, readSettings, readStaffAlert } from './settings.ts';
import { startOwnThread, startStaffThread } from './start-thread.ts';
import type { ThreadDetail, ThreadSummary } from './thread-view.ts';
import { countOwnUnread, countStaffUnread } from './unread.ts';

/** A new message and its thread as written (use `readOwn`/`read` for the views). */
export interface Written {
  thread: ThreadRow;
  message: MessageRow;
}

/**
 * Secure messaging between patients and the clinic (issue 19). The patient app's use cases are
 * held here to the signed-in patient's record and their current dependants'; staff use cases
 * check the member's role. Message text is health data: every read is audited, and the text
 * never reaches logs, jobs, audit details or notifications. Each use case is a file.
 */
export function messagingService(deps: MessagingDeps) {
  return {
    // ---- the patient app (policy `patient`)
    /** Start a thread ({subject, text, documentIds?, patientId?}): 403 patients_cannot_start_threads, 404 that_patient, 429 messages_rate_limited. */
    startOwn: (actor: PatientActor, input: unknown): Promise<Written> => startOwnThread(deps, actor, input),
    /** Reply ({text, documentIds?}): 404 that_thread, 409 thread_closed (when the clinic does not reopen), 429. */
    replyOwn: (actor: PatientActor, threadId: string, input: unknown): Promise<Written> =>
      replyOwn(deps, actor, threadId, input),
    /** The patient's and their dependants' threads, latest first (audited). */
    listOwn: (actor: PatientActor): Promise<ThreadSummary[]> => listOwnThreads(deps, actor),
    /** One thread with its messages (audited; 404 outside the scope). */
    readOwn: (actor: PatientActor, threadId: string): Promise<ThreadDetail> =>
      readOwnThread(deps, actor, threadId),
    /** Mark a thread read by the patient. */
    markOwnRead: (actor: PatientActor, threadId: string): Promise<void> => markOwnRead(deps, actor, threadId),
    /** Threads with a staff message the patient has not read (the app's badge). */
    unreadOwn: (actor: PatientActor): Promise<number> => countOwnUnread(deps, actor),

    // ---- staff
    /** Start a thread from the chart ({subject, text, documentIds?, assignedTo?}; default: assigned to the author); patients.write. */
    start: (actor: Actor, patientId: string, input: unknown): Promise<Written> =>
      startStaffThread(deps, actor, patientId, input),
    /** Reply ({text, documentIds?}); reopens a closed thread; patients.write. */
    reply: (actor: Actor, threadId: string, input: unknown): Promise<Written> =>
      replyStaff(deps, actor, threadId, input),
    /** Assign ({assignedTo: id|null}), close/reopen ({status}); patients.write. */
    change: (actor: Actor, threadId: string, input: unknown): Promise<ThreadRow> =>
      changeThread(deps, actor, threadId, input),
    /** Threads filtered ({status?, assignee?: me|unassigned|any|<staffId>, patientId?, limit?}); patients.read; audited. */
    list: (actor: Actor, filters?: unknown): Promise<ThreadSummary[]> =>
      listStaffThreads(deps, actor, filters),
    /** One thread with its messages; patients.read; audited. */
    read: (actor: Actor, threadId: string): Promise<ThreadDetail> => readStaffThread(deps, actor, threadId),
    /** Mark a thread read by this member. */
    markRead: (actor: Actor, threadId: string): Promise<void> => markStaffRead(deps, actor, threadId),
    /** The navigation badge: unread open threads assigned to the member, and to the front desk. */
    unread: (actor: Actor): Promise<{ mine: number; unassigned: number; total: number }> =>
      countStaffUnread(deps, actor),
    /** Quick replies: list (patients.read), create/update/remove ({title, text}; settings.manage). */
    quickReplies: quickReplies(deps),

    // ---- settings
    /** The clinic's settings (anyone signed in may read them: the app shows "we reply within N working days"). */
    settings: (): Promise<MessagingSettings> => readSettings(deps),
    /** Save them ({patientsMayStart, replyWithinDays, reopenOnReply}; settings.manage). */
    changeSettings: (actor: Actor, input: unknown): Promise<MessagingSettings> =>
      changeSettings(deps, actor, input),
    /** The member's own choice of an email when a patient writes ({email}). */
    staffAlert: (actor: Actor): Promise<{ email: boolean }> => readStaffAlert(deps, actor),
    setStaffAlert: (actor: Actor, input: unknown): Promise<{ email: boolean }> =>
      changeStaffAlert(deps, actor, input),

    // ---- inbound SMS
    /** An SMS a provider's webhook received (the HTTP layer checked its signature or secret). */
    receiveSms: (sms: InboundSms): Promise<InboundOutcome> => receiveSms(deps, sms),
    /** SMS from unknown numbers waiting for staff (patients.read; audited). */
    listUnmatched: (actor: Actor, limit?: number): Promise<UnmatchedSmsRow[]> =>
      listUnmatched(deps, actor, limit),
    /** Assign one to a patient ({patientId}; patients.write). */
    assignUnmatched: (actor: Actor, smsId: string, input: unknown): Promise<Written> =>
      assignUnmatched(deps, actor, smsId, input),
  };
}

export type MessagingService = ReturnType<typeof messagingService>;
