import type { DbCtx } from '../../db/client.ts';
import { AppError, notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { findStaffMemberById, staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientStatus } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { type PatientActor, scopeOf } from './messaging.policy.ts';
import { insertThread, type MessageRow, type ThreadRow } from './messaging.repo.ts';
import { startThreadInput } from './messaging.schema.ts';
import { readSettings } from './settings.ts';
import { type Author, checkAttachments, writeMessage } from './write-message.ts';

/**
 * A signed-in patient starts a thread (`{subject, text, documentIds?, patientId?}`) about their
 * own record or a dependant's they are guardian of now (else 404 that_patient, audited as
 * access.refused); refused with 403 patients_cannot_start_threads when the clinic takes replies
 * only. Left to the front desk (unassigned).
 */
export async function startOwnThread(
  deps: MessagingDeps,
  actor: PatientActor,
  input: unknown,
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const data = validated(startThreadInput, input);
  const settings = await readSettings(deps);
  if (!settings.patientsMayStart) {
    throw new AppError('patients_cannot_start_threads', 'patients_cannot_start_threads', { status: 403 });
  }
  const patientId = data.patientId ?? actor.id;
  if (!(await scopeOf(deps, actor)).has(patientId)) {
    await deps.db.tx((ctx) =>
      deps.audit.record(ctx, actor, { action: 'access.refused', entity: 'patient', entityId: patientId }),
    );
    throw notFound('that_patient');
  }
  return createThread(deps, actor, { kind: 'patient', actor }, { ...data, patientId, assignedTo: null });
}

/**
 * Staff start a thread with a patient from the chart (`{subject, text, documentIds?, assignedTo?}`;
 * patients.write): the patient is told by their channels, never the text.
 */
export async function startStaffThread(
  deps: MessagingDeps,
  actor: Actor,
  patientId: string,
  input: unknown,
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.write');
  const data = validated(startThreadInput.omit({ patientId: true }), input);
  const status = await findPatientStatus(deps.db.reader, patientId);
  if (!status) throw notFound('that_patient');
  const assignedTo = data.assignedTo === undefined ? member.actor.id : data.assignedTo;
  if (assignedTo) await assertAssignable(deps, assignedTo);
  return createThread(deps, actor, { kind: 'staff', member }, { ...data, patientId, assignedTo });
}

/** A member a thread may be assigned to: active, allowed to read messages; else 422. */
export async function assertAssignable(deps: Pick<MessagingDeps, 'db'>, staffId: string): Promise<void> {
  const m = await findStaffMemberById(deps.db.reader, staffId);
  if (m?.status !== 'active') {
    throw new AppError('validation_failed', 'Choose an active staff member.', {
      issues: [{ path: 'assignedTo', message: 'Choose an active staff member.' }],
    });
  }
}

/**
 * The thread and its first message (with its attachments, checked first) in one transaction,
 * audited (`thread.create`, ids only).
 */
export async function createThread(
  deps: MessagingDeps,
  actor: Actor,
  author: Author,
  thread: {
    patientId: string;
    subject: string;
    assignedTo: string | null;
    text: string;
    documentIds: readonly string[];
  },
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const documentIds = await checkAttachments(deps, author, thread.patientId, thread.documentIds);
  const now = deps.clock.now();
  return deps.db.tx(async (ctx) => {
    const row = await openThread(deps, ctx, actor, author, thread, now);
    return writeMessage(deps, ctx, row, author, thread.text, documentIds);
  });
}

/** A new open thread that `author` starts, in the caller's transaction; audited (`thread.create`, ids only). */
export async function openThread(
  deps: Pick<MessagingDeps, 'audit'>,
  ctx: DbCtx,
  actor: Actor,
  author: Author,
  thread: { patientId: string; subject: string; assignedTo: string | null },
  now: Date,
): Promise<ThreadRow> {
  const row = await insertThread(ctx, {
    id: newId(),
    patientId: thread.patientId,
    subject: thread.subject,
    status: 'open',
    assignedTo: thread.assignedTo,
    startedBy: author.kind,
    startedById:
      author.kind === 'patient' ? author.actor.id : author.kind === 'staff' ? author.member.actor.id : null,
    createdAt: now,
    updatedAt: now,
    lastMessageAt: now,
  });
  await recordChange(deps.audit, ctx, actor, 'thread.create', row, {
    startedBy: author.kind,
    ...(thread.assignedTo ? { assignedTo: thread.assignedTo } : {}),
  });
  return row;
}
