import type { DbCtx } from '../../db/client.ts';
import { AppError, fieldIssue, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { lockPatient } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import type { PatientActor, StaffMember } from './messaging.policy.ts';
import {
  countPatientMessagesSince,
  insertAttachments,
  insertMessage,
  type MessageRow,
  markThreadRead,
  type ThreadRow,
  updateThread,
} from './messaging.repo.ts';
import { type AuthorKind, PATIENT_MESSAGES_PER_HOUR } from './messaging.schema.ts';
import { notifyNewMessage } from './notify-new-message.ts';

/** Who writes a message: a patient or guardian from the app, a staff member, or an SMS from the patient's phone. */
export type Author =
  | { kind: 'patient'; actor: PatientActor }
  | { kind: 'staff'; member: StaffMember }
  | { kind: 'sms'; actor: Actor };

const HOUR_MS = 3_600_000;

/** The author's kind as stored: a patient writing about a dependant is their guardian. */
export function authorKindOf(author: Author, thread: Pick<ThreadRow, 'patientId'>): AuthorKind {
  if (author.kind === 'patient') return author.actor.id === thread.patientId ? 'patient' : 'guardian';
  return author.kind;
}

const actorOf = (author: Author): Actor => (author.kind === 'staff' ? author.member.actor : author.actor);
const authorIdOf = (author: Author): string | null =>
  author.kind === 'patient' ? author.actor.id : author.kind === 'staff' ? author.member.actor.id : null;

/**
 * Checks that the documents named may be attached to a message of `patientId`'s thread by this
 * author, and answers their ids (deduplicated). A patient attaches what they see in the app (their
 * uploads, what was shared with them); staff what their role may read on the chart — and sharing
 * it is what attaching does (the patient opens it through their documents). Anything else: 422
 * attachment_not_found, nothing stored.
 */
export async function checkAttachments(
  deps: Pick<MessagingDeps, 'documents'>,
  author: Author,
  patientId: string,
  documentIds: readonly string[],
): Promise<string[]> {
  const ids = [...new Set(documentIds)];
  if (ids.length === 0) return [];
  if (author.kind === 'sms') return [];
  const docs =
    author.kind === 'patient'
      ? await deps.documents.listOwn(author.actor)
      : await deps.documents.list(author.member.actor, patientId);
  const mine = new Map(docs.filter((d) => d.patientId === patientId).map((d) => [d.id, d]));
  if (ids.some((id) => !mine.has(id)))
    throw validationFailed([fieldIssue('documentIds', 'attachment_not_found')]);
  if (author.kind === 'staff') {
    for (const id of ids) {
      if (!mine.get(id)!.sharedWithPatient) {
        await deps.documents.update(author.member.actor, id, { sharedWithPatient: true });
      }
    }
  }
  return ids;
}

/**
 * Adds a message to `thread` in `ctx`'s transaction: the message and its attachments, the thread's
 * times (a closed thread opens again when `reopen`), the author's read marker, the audit row (ids
 * and counts only) and the notification of the other side. A patient's message counts against
 * PATIENT_MESSAGES_PER_HOUR (theirs as author and those to the thread's patient), counted in the
 * transaction under the patient's row lock: 429 messages_rate_limited, nothing stored.
 */
export async function writeMessage(
  deps: Pick<MessagingDeps, 'clock' | 'audit' | 'notify'>,
  ctx: DbCtx,
  thread: ThreadRow,
  author: Author,
  text: string,
  documentIds: readonly string[],
  options: { reopen?: boolean; audit?: boolean; limit?: boolean } = {},
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const now = deps.clock.now();
  const authorId = authorIdOf(author);
  if (author.kind !== 'staff' && options.limit !== false) {
    // One count at a time per patient (PostgreSQL runs transactions side by side).
    await lockPatient(ctx, thread.patientId);
    const since = new Date(now.getTime() - HOUR_MS);
    const sent = await countPatientMessagesSince(
      ctx,
      { authorId: authorId ?? '', patientId: thread.patientId },
      since,
    );
    if (sent >= PATIENT_MESSAGES_PER_HOUR) {
      throw new AppError('messages_rate_limited', 'messages_rate_limited', { status: 429 });
    }
  }
  const message = await insertMessage(ctx, {
    id: newId(),
    threadId: thread.id,
    patientId: thread.patientId,
    authorKind: authorKindOf(author, thread),
    authorId,
    text,
    createdAt: now,
  });
  await insertAttachments(ctx, message.id, documentIds);
  const reopened = options.reopen && thread.status === 'closed';
  const updated = (await updateThread(ctx, thread.id, {
    lastMessageAt: now,
    updatedAt: now,
    ...(author.kind === 'staff' ? { lastStaffAt: now } : { lastPatientAt: now }),
    ...(reopened ? { status: 'open', closedAt: null, closedBy: null } : {}),
  }))!;
  if (authorId)
    await markThreadRead(ctx, thread.id, authorId, author.kind === 'staff' ? 'staff' : 'patient', now);
  if (options.audit !== false) {
    await recordChange(deps.audit, ctx, actorOf(author), 'message.create', message, {
      threadId: thread.id,
      attachments: documentIds.length,
      ...(reopened ? { reopened: true } : {}),
    });
  }
  await notifyNewMessage(deps, ctx, updated, message);
  return { thread: updated, message };
}
