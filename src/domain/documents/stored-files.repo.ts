import { claimed, defineStoredFiles, keysNamedIn, rewrapRow } from '../stored-files.ts';
import { listStoredDocuments } from './documents.repo.ts';

/**
 * The documents area's stored objects (`documents/<patient>/<id>.<random>`): each document's
 * file, kept until purged (deleted documents too, within the retention period). Messages'
 * attachments are documents, so they are here too.
 */
export const documentsStoredFiles = defineStoredFiles({
  area: 'documents',
  prefixes: ['documents/'],
  async list(ctx) {
    return (await listStoredDocuments(ctx)).flatMap((d) =>
      claimed(
        { area: 'documents', entity: 'document', entityId: d.id, patientId: d.patientId, slot: 'file' },
        d,
      ),
    );
  },
  committed: (ctx, keys) => keysNamedIn(ctx, ctx.t.documents, [ctx.t.documents.objectKey], keys),
  setWrappedKey: (ctx, file, wrappedKey) =>
    rewrapRow(ctx, ctx.t.documents, ctx.t.documents, file, { wrappedKey }),
});
