import { validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { type PatientActor, scopeOf, threadFound, threadInScope } from './messaging.policy.ts';
import {
  findThreadById,
  listMessagesOfThread,
  listThreads,
  listThreadsOfPatients,
  markThreadRead,
  type ThreadRow,
} from './messaging.repo.ts';
import { staffListInput } from './messaging.schema.ts';
import {
  type Reader,
  summaries,
  type ThreadDetail,
  type ThreadSummary,
  threadDetail,
} from './thread-view.ts';

/** The signed-in patient's threads and their dependants', latest first (no text); audited as one read. */
export async function listOwnThreads(deps: MessagingDeps, actor: PatientActor): Promise<ThreadSummary[]> {
  const rows = await listThreadsOfPatients(deps.db.reader, [...(await scopeOf(deps, actor))]);
  const list = await summaries(deps, { kind: 'patient', id: actor.id }, rows);
  return deps.audit.recordListRead(actor, { action: 'thread.list-own', entity: 'thread' }, list);
}

/** One thread of the patient's scope with its messages (404 otherwise); audited. Does not mark it read. */
export async function readOwnThread(
  deps: MessagingDeps,
  actor: PatientActor,
  id: string,
): Promise<ThreadDetail> {
  const thread = threadInScope(await scopeOf(deps, actor), await findThreadById(deps.db.reader, id));
  return auditedDetail(deps, { kind: 'patient', id: actor.id }, actor, thread);
}

/**
 * Threads for staff (patients.read), latest first: `status` open/closed, `assignee` `me`,
 * `unassigned` (the front desk), `any` (default) or a member's id, `patientId` (the chart);
 * audited as one read.
 */
export async function listStaffThreads(
  deps: MessagingDeps,
  actor: Actor,
  input: unknown,
): Promise<ThreadSummary[]> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.read');
  const f = validated(staffListInput, input ?? {});
  const assignee =
    f.assignee === undefined || f.assignee === 'any'
      ? undefined
      : f.assignee === 'me'
        ? member.actor.id
        : f.assignee === 'unassigned'
          ? null
          : f.assignee;
  const rows = await listThreads(deps.db.reader, {
    status: f.status,
    assignee,
    patientId: f.patientId,
    limit: f.limit,
  });
  const list = await summaries(deps, { kind: 'staff', id: member.actor.id }, rows);
  return deps.audit.recordListRead(
    actor,
    {
      action: 'thread.list',
      entity: 'thread',
      details: {
        status: f.status ?? 'any',
        assignee: f.assignee ?? 'any',
        ...(f.patientId ? { patientId: f.patientId } : {}),
      },
    },
    list,
  );
}

/** One thread with its messages for staff (patients.read); audited. Does not mark it read. */
export async function readStaffThread(deps: MessagingDeps, actor: Actor, id: string): Promise<ThreadDetail> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.read');
  const thread = threadFound(await findThreadById(deps.db.reader, id));
  return auditedDetail(deps, { kind: 'staff', id: member.actor.id }, actor, thread);
}

/** The thread with its messages as `reader` sees them; the read is audited. */
async function auditedDetail(
  deps: MessagingDeps,
  reader: Reader,
  actor: Actor,
  thread: ThreadRow,
): Promise<ThreadDetail> {
  const messages = await listMessagesOfThread(deps.db.reader, thread.id);
  await deps.audit.recordRead(actor, {
    action: 'thread.read',
    entity: 'thread',
    entityId: thread.id,
    patientId: thread.patientId,
  });
  return threadDetail(deps, reader, actor, thread, messages);
}

/** The patient marks a thread of their scope read (up to now). */
export async function markOwnRead(deps: MessagingDeps, actor: PatientActor, id: string): Promise<void> {
  threadInScope(await scopeOf(deps, actor), await findThreadById(deps.db.reader, id));
  await deps.db.tx((ctx) => markThreadRead(ctx, id, actor.id, 'patient', deps.clock.now()));
}

/** A staff member marks a thread read for themself (patients.read). */
export async function markStaffRead(deps: MessagingDeps, actor: Actor, id: string): Promise<void> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.read');
  threadFound(await findThreadById(deps.db.reader, id));
  await deps.db.tx((ctx) => markThreadRead(ctx, id, member.actor.id, 'staff', deps.clock.now()));
}
