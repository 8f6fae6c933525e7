import { notFound, validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { assertMay, staffRoleOf } from './documents.policy.ts';
import { findDocumentById, updateDocument } from './documents.repo.ts';
import { type DocumentCategory, deleteInput } from './documents.schema.ts';

/**
 * A soft delete, with the reason kept on the row (not in the audit log: it is free text): the
 * document leaves every list at once; the purge job removes its file after the retention period.
 */
export async function deleteDocument(
  deps: DocumentsDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<void> {
  const role = await staffRoleOf(deps.db, actor);
  const { reason } = validated(deleteInput, input);
  const current = await findDocumentById(deps.db.reader, id);
  if (!current || current.deletedAt) throw notFound('that_document');
  assertMay(role, 'write', current.category as DocumentCategory);
  const now = deps.clock.now();
  await deps.db.tx(async (ctx) => {
    const row = await updateDocument(
      ctx,
      id,
      {
        deletedAt: now,
        deletedBy: actor.type === 'staff' ? actor.id : null,
        deleteReason: reason,
        updatedAt: now,
      },
      { undeletedOnly: true },
    );
    if (!row) throw notFound('that_document');
    await recordChange(deps.audit, ctx, actor, 'document.delete', row, { category: row.category });
  });
}
