import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { defineMessages } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import catalogue from './documents.messages.json' with { type: 'json' };
import { findDocumentById } from './documents.repo.ts';

const messages = defineMessages(catalogue);

/** A document was shared with the patient: a link to the app, never the document or what it is. */
export const documentSharedMessage = messages['document-shared'];

/** To admins: a stored file failed its check on read (changed or lost bytes); it was not served. */
export const fileDamagedMessage = messages['file-damaged'];

const sharedParams = z.object({ documentId: z.string() });
const damagedParams = z.object({ documentId: z.string(), store: z.string() });

/**
 * The documents area's messages. A share notice is sent only while the document is still shared
 * and not deleted (re-read at send time); its link opens the app's documents.
 */
export function documentsMessages(deps: { db: Db; baseUrl: string }): MessageResolver {
  return {
    messages: [documentSharedMessage, fileDamagedMessage],
    async resolve(type, params) {
      if (type === fileDamagedMessage.type) return { vars: damagedParams.parse(params) };
      const doc = await findDocumentById(deps.db.reader, sharedParams.parse(params).documentId);
      if (!doc?.sharedWithPatient || doc.deletedAt) return null;
      const link = `${deps.baseUrl}/app/#/documents`;
      return { vars: { link }, url: link };
    },
  };
}
