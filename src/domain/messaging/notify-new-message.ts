import type { DbCtx } from '../../db/client.ts';
import { emailAddress } from '../../lib/contact.ts';
import { can, findStaffMemberById } from '../accounts/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { newMessageMessage, newPatientMessageMessage } from './messaging.messages.ts';
import { listStaffWithEmailAlerts, type MessageRow, type ThreadRow } from './messaging.repo.ts';

/**
 * Tells the other side of a new message, in the message's transaction, with ids only (the text
 * never reaches a job, a delivery or a notification). A staff message: the patient (by their
 * chosen channels; a dependant's guardians when the dependant has no address of their own) gets
 * "You have a new message from <clinic>" with a link to the app. A patient's message: the member
 * it is assigned to — or, unassigned, every member who may read messages — gets an email if they
 * asked for one (their own choice, off by default); the Inbox counts it in every case.
 */
export async function notifyNewMessage(
  deps: Pick<MessagingDeps, 'notify'>,
  ctx: DbCtx,
  thread: ThreadRow,
  message: MessageRow,
): Promise<void> {
  const params = { messageId: message.id };
  if (message.authorKind === 'staff') {
    await deps.notify.dispatch(ctx, {
      type: newMessageMessage.type,
      to: { patientId: thread.patientId },
      params,
      key: `${newMessageMessage.type}:${message.id}`,
    });
    return;
  }
  const wanting = await listStaffWithEmailAlerts(ctx);
  const ids = thread.assignedTo ? wanting.filter((id) => id === thread.assignedTo) : wanting;
  for (const staffId of ids) {
    const member = await findStaffMemberById(ctx, staffId);
    if (member?.status !== 'active' || !can(member.role, 'patients.read')) continue;
    await deps.notify.dispatch(ctx, {
      type: newPatientMessageMessage.type,
      to: { address: emailAddress(member.email), staffId },
      params,
      key: `${newPatientMessageMessage.type}:${message.id}:${staffId}`,
    });
  }
}
