import { AppError, notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { assertPatientMaySee } from './documents.policy.ts';
import { deleteWaitingUpload, findDocumentById } from './documents.repo.ts';
import { scopeOf } from './patient-scope.ts';

/** The reason kept on a document a patient deleted from the app. */
export const DELETED_BY_PATIENT = 'deleted by patient';

/**
 * A patient takes back an upload from the app (theirs, or a dependant's) while the clinic has not
 * reviewed it yet: a soft delete like staff's (reason "deleted by patient"; the purge job removes
 * the file after the retention period), audited; it leaves the Inbox at once. A document staff
 * put on the record is never the patient's to delete (403), nor one staff have reviewed (409);
 * one the patient may not see is 404. Staff reviewing at the same moment win: the delete checks
 * again in its transaction.
 */
export async function deleteOwnDocument(
  deps: DocumentsDeps,
  actor: Actor & { id: string },
  id: string,
): Promise<void> {
  const doc = await findDocumentById(deps.db.reader, id);
  assertPatientMaySee(await scopeOf(deps, actor), doc);
  if (doc.source !== 'patient') throw new AppError('not_own_upload', { key: 'not_allowed' }, { status: 403 });
  const reviewed = () => new AppError('already_reviewed', { key: 'not_allowed' }, { status: 409 });
  if (doc.reviewedAt) throw reviewed();
  const now = deps.clock.now();
  await deps.db.tx(async (ctx) => {
    const row = await deleteWaitingUpload(ctx, id, {
      deletedAt: now,
      deleteReason: DELETED_BY_PATIENT,
      updatedAt: now,
    });
    if (!row) {
      const current = await findDocumentById(ctx, id);
      throw current?.deletedAt ? notFound('that_document') : reviewed();
    }
    await recordChange(deps.audit, ctx, actor, 'document.delete', row, {
      category: row.category,
      by: 'patient',
    });
  });
}
