import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { defineMessage } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import { findDocumentById } from './documents.repo.ts';

/** A document was shared with the patient: a link to the app, never the document or what it is. */
export const documentSharedMessage = defineMessage({
  type: 'document-shared',
  label: 'New document in the patient app',
  essential: false,
  channels: ['email', 'sms', 'push'],
  variables: ['clinicName', 'link'],
  examples: { link: 'https://clinic.example/app/#/documents' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: a new document for you',
        body: 'Hello,\n\n{{clinicName}} has shared a document with you. Open it in the patient app:\n{{link}}',
      },
      fr: {
        subject: '{{clinicName}} : un nouveau document pour vous',
        body: 'Bonjour,\n\n{{clinicName}} a partagé un document avec vous. Ouvrez-le dans l’application patient :\n{{link}}',
      },
    },
    sms: {
      en: { body: '{{clinicName}} has shared a document with you in the patient app: {{link}}' },
      fr: { body: '{{clinicName}} a partagé un document avec vous dans l’application patient : {{link}}' },
    },
    push: {
      en: { subject: '{{clinicName}}', body: 'A new document is waiting for you in the app.' },
      fr: { subject: '{{clinicName}}', body: 'Un nouveau document vous attend dans l’application.' },
    },
  },
});

/** To admins: a stored file failed its check on read (changed or lost bytes); it was not served. */
export const fileDamagedMessage = defineMessage({
  type: 'file-damaged',
  label: 'Stored file failed its check (to admins)',
  essential: true,
  channels: ['email'],
  variables: ['clinicName', 'documentId', 'store'],
  examples: { documentId: '5b0c…', store: 'file:/srv/clinicbox/data/files' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: a stored document failed its integrity check',
        body: 'Reading document {{documentId}} from {{store}} found its bytes changed or missing, so it was not served. Restore the file from a backup, and run clinicbox storage verify to check the others.',
      },
      fr: {
        subject: '{{clinicName}} : un document stocké a échoué à sa vérification',
        body: 'La lecture du document {{documentId}} dans {{store}} a trouvé ses octets modifiés ou manquants ; il n’a pas été servi. Restaurez le fichier depuis une sauvegarde, et lancez clinicbox storage verify pour vérifier les autres.',
      },
    },
  },
});

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
