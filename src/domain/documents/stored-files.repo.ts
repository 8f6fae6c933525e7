import { and, eq } from 'drizzle-orm';
import { claimed, defineStoredFiles } from '../stored-files.ts';
import { knownObjectKeys, listStoredDocuments } from './documents.repo.ts';

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
  committed: (ctx, keys) => knownObjectKeys(ctx, keys),
  async setWrappedKey(ctx, file, wrappedKey) {
    const d = ctx.t.documents;
    await ctx.db
      .update(d)
      .set({ wrappedKey })
      .where(and(eq(d.id, file.entityId), eq(d.objectKey, file.objectKey)));
  },
});
