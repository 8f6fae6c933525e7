import { validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { threadFound } from './messaging.policy.ts';
import { findThreadById, type ThreadRow, updateThread } from './messaging.repo.ts';
import { changeThreadInput } from './messaging.schema.ts';
import { assertAssignable } from './start-thread.ts';

/**
 * Staff assign a thread (`assignedTo`: a member, or null: the front desk), close it or reopen it
 * (`status`), together or alone (patients.write). Each change is audited (`thread.assign`,
 * `thread.close`, `thread.reopen`); the same value again changes nothing and audits nothing.
 */
export async function changeThread(
  deps: MessagingDeps,
  actor: Actor,
  threadId: string,
  input: unknown,
): Promise<ThreadRow> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.write');
  const data = validated(changeThreadInput, input);
  threadFound(await findThreadById(deps.db.reader, threadId));
  if (data.assignedTo) await assertAssignable(deps, data.assignedTo);
  return deps.db.tx(async (ctx) => {
    let thread = (await findThreadById(ctx, threadId))!;
    const now = deps.clock.now();
    if (data.assignedTo !== undefined && data.assignedTo !== thread.assignedTo) {
      thread = (await updateThread(ctx, threadId, { assignedTo: data.assignedTo, updatedAt: now }))!;
      await recordChange(deps.audit, ctx, actor, 'thread.assign', thread, { assignedTo: data.assignedTo });
    }
    if (data.status && data.status !== thread.status) {
      const closing = data.status === 'closed';
      thread = (await updateThread(ctx, threadId, {
        status: data.status,
        updatedAt: now,
        closedAt: closing ? now : null,
        closedBy: closing ? member.actor.id : null,
      }))!;
      await recordChange(deps.audit, ctx, actor, closing ? 'thread.close' : 'thread.reopen', thread);
    }
    return thread;
  });
}
