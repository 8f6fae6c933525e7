import { conflict, validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { type PatientActor, scopeOf, threadFound, threadInScope } from './messaging.policy.ts';
import { findThreadById, type MessageRow, type ThreadRow } from './messaging.repo.ts';
import { replyInput } from './messaging.schema.ts';
import { readSettings } from './settings.ts';
import { type Author, checkAttachments, writeMessage } from './write-message.ts';

/**
 * The patient (or their guardian) replies in a thread of their scope (`{text, documentIds?}`).
 * A closed thread: the reply reopens it when the clinic allows it (the default, `reopenOnReply`),
 * else 409 thread_closed and nothing is stored — the patient starts a new thread instead.
 */
export async function replyOwn(
  deps: MessagingDeps,
  actor: PatientActor,
  threadId: string,
  input: unknown,
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const data = validated(replyInput, input);
  const thread = threadInScope(await scopeOf(deps, actor), await findThreadById(deps.db.reader, threadId));
  if (thread.status === 'closed' && !(await readSettings(deps)).reopenOnReply) {
    throw conflict('thread_closed', 'thread_closed');
  }
  return writeReply(deps, thread, { kind: 'patient', actor }, data);
}

/** Staff reply (`{text, documentIds?}`; patients.write); a reply to a closed thread reopens it. */
export async function replyStaff(
  deps: MessagingDeps,
  actor: Actor,
  threadId: string,
  input: unknown,
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.write');
  const data = validated(replyInput, input);
  const thread = threadFound(await findThreadById(deps.db.reader, threadId));
  return writeReply(deps, thread, { kind: 'staff', member }, data);
}

/** Writes `author`'s reply into the thread as it is now (its attachments checked first); a closed thread reopens. */
async function writeReply(
  deps: MessagingDeps,
  thread: ThreadRow,
  author: Author,
  reply: { text: string; documentIds: readonly string[] },
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const documentIds = await checkAttachments(deps, author, thread.patientId, reply.documentIds);
  return deps.db.tx(async (ctx) => {
    const current = (await findThreadById(ctx, thread.id))!;
    return writeMessage(deps, ctx, current, author, reply.text, documentIds, { reopen: true });
  });
}
