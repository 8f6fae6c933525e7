import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { defineMessages } from '../area.ts';
import type { MessageResolver, ResolveTarget } from '../notifications/index.ts';
import { findPatientById } from '../patients/index.ts';
import catalogue from './messaging.messages.json' with { type: 'json' };
import { findMessageById } from './messaging.repo.ts';

const messages = defineMessages(catalogue);

/** A patient has a new message from the clinic: a link to the app, never the text. */
export const newMessageMessage = messages['message-new'];
/** A staff member (who asked for it) is told a patient wrote: a link to the Inbox, never the text nor who. */
export const newPatientMessageMessage = messages['message-new-staff'];

const params = z.object({ messageId: z.string() });

/**
 * The messaging area's messages, resolved at send time from the message's id: nothing is sent
 * once the message is gone. The patient's link opens the thread in the app (a guardian's message
 * names the dependant); the staff link opens it in the Inbox.
 */
export function messagingMessages(deps: { db: Db; baseUrl: string }): MessageResolver {
  return {
    messages: [newMessageMessage, newPatientMessageMessage],
    async resolve(type, raw, target) {
      const { messageId } = params.parse(raw);
      const message = await findMessageById(deps.db.reader, messageId);
      if (!message) return null;
      if (type === newPatientMessageMessage.type) {
        const link = `${deps.baseUrl}/staff/inbox/messages/${message.threadId}`;
        return { vars: { link }, url: link };
      }
      const link = `${deps.baseUrl}/app/#/messages/${message.threadId}`;
      return { vars: { ...(await names(deps.db, target)), link }, url: link };
    },
  };
}

/** `recipientName` (who reads it) and `dependantName` (empty in the patient's own message). */
async function names(
  db: Db,
  target: ResolveTarget,
): Promise<{ recipientName: string; dependantName: string }> {
  const patient = target.patientId ? await findPatientById(db.reader, target.patientId) : null;
  const guardianId = target.contactId && target.contactId !== target.patientId ? target.contactId : null;
  const guardian = guardianId ? await findPatientById(db.reader, guardianId) : null;
  const patientName = patient?.firstName ?? '';
  return guardian
    ? { recipientName: guardian.firstName, dependantName: patientName }
    : { recipientName: patientName, dependantName: '' };
}
