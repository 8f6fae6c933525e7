import { z } from '@hono/zod-openapi';
import type { ThreadDetail, Written } from '../../domain/messaging/index.ts';
import { MAX_ATTACHMENTS, MAX_MESSAGE_CHARS, threadStatuses } from '../../domain/messaging/index.ts';
import { id, instant } from './schemas.ts';

/** The JSON of message threads, shared by the patient app's routes and the staff's. */

export const threadJson = z
  .object({
    id,
    patientId: id.describe('Whose thread: the patient, or a dependant of theirs'),
    patientName: z.string(),
    subject: z.string(),
    status: z.enum(threadStatuses),
    assignedTo: z
      .object({ id, name: z.string() })
      .nullable()
      .describe('The staff member it is assigned to; null: the front desk'),
    startedBy: z.enum(['patient', 'staff', 'sms']),
    createdAt: instant,
    lastMessageAt: instant,
    closedAt: instant.nullable(),
    unread: z.boolean().describe('A message from the other side the caller has not marked read'),
  })
  .meta({ id: 'Thread' });

export const attachmentJson = z.object({
  documentId: id.describe('Open it through the documents routes'),
  title: z.string(),
  contentType: z.string(),
  size: z.int(),
});

export const messageJson = z
  .object({
    id,
    threadId: id,
    author: z.object({
      kind: z.enum(['patient', 'guardian', 'staff', 'sms']),
      id: id.nullable(),
      name: z.string(),
    }),
    text: z.string().describe('Plain text: show it as text (links only), never as HTML'),
    createdAt: instant,
    attachments: z.array(attachmentJson).describe('The attached documents the caller may see'),
  })
  .meta({ id: 'Message' });

export const threadDetailJson = z.object({ thread: threadJson, messages: z.array(messageJson) });

export const replyBody = z.object({
  text: z.string().describe(`The message, at most ${MAX_MESSAGE_CHARS} characters (422 message_too_long)`),
  documentIds: z
    .array(id)
    .max(MAX_ATTACHMENTS)
    .optional()
    .describe('Documents to attach, uploaded first through the documents routes'),
});

/**
 * The message just written as its author sees it (its attachments as they may see them): the
 * thread read again with `read`, and the message among its messages.
 */
export async function readBack(written: Written, read: (threadId: string) => Promise<ThreadDetail>) {
  const detail = await read(written.thread.id);
  return { thread: detail.thread, message: detail.messages.find((m) => m.id === written.message.id)! };
}
