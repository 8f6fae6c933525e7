import type { DbCtx } from '../../db/client.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { documentSharedMessage } from './documents.messages.ts';
import type { DocumentRow } from './documents.repo.ts';

/**
 * Tells the patient, in the transaction that shares it, that a document is waiting in their app:
 * once per document (the dispatch key names it). The message carries a link, never the
 * document, its title or its category; the resolver re-reads it at send time and sends nothing
 * if it was unshared or deleted meanwhile.
 */
export function tellPatientShared(deps: Pick<DocumentsDeps, 'notify'>, ctx: DbCtx, doc: DocumentRow) {
  return deps.notify.dispatch(ctx, {
    type: documentSharedMessage.type,
    to: { patientId: doc.patientId },
    params: { documentId: doc.id },
    key: `document-shared:${doc.id}`,
  });
}
