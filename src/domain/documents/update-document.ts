import { fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { assertMay, staffRoleOf } from './documents.policy.ts';
import {
  type DocumentRow,
  type DocumentRowChanges,
  findDocumentById,
  updateDocument,
} from './documents.repo.ts';
import { type DocumentCategory, documentChanges } from './documents.schema.ts';
import { tellPatientShared } from './share-document.ts';

/**
 * Staff rename, re-categorise, re-date, link to an appointment, share or unshare, or mark a
 * patient's upload reviewed. Moving a document into or out of a clinical category needs the
 * clinical permission for both. Sharing it the first time tells the patient (once). Audited with
 * the names of the fields changed, never their values.
 */
export async function changeDocument(
  deps: DocumentsDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<DocumentRow> {
  const role = await staffRoleOf(deps.db, actor);
  const changes = validated(documentChanges, input);
  const current = await findDocumentById(deps.db.reader, id);
  if (!current || current.deletedAt) throw notFound('that_document');
  assertMay(role, 'write', current.category as DocumentCategory);
  if (changes.category) assertMay(role, 'write', changes.category);
  if (changes.appointmentId) {
    const found = await deps.appointments.forNotification(changes.appointmentId);
    if (found?.appointment.patientId !== current.patientId)
      throw validationFailed([fieldIssue('appointmentId', 'Choose an appointment of this patient.')]);
  }
  const now = deps.clock.now();
  const set: DocumentRowChanges = { updatedAt: now };
  if (changes.title !== undefined) set.title = changes.title;
  if (changes.category !== undefined) set.category = changes.category;
  if (changes.documentDate !== undefined) set.documentDate = changes.documentDate;
  if (changes.appointmentId !== undefined) set.appointmentId = changes.appointmentId;
  if (changes.sharedWithPatient !== undefined) set.sharedWithPatient = changes.sharedWithPatient;
  if (changes.reviewed && !current.reviewedAt) {
    set.reviewedAt = now;
    set.reviewedBy = actor.type === 'staff' ? actor.id : null;
  }
  return deps.db.tx(async (ctx) => {
    const before = await findDocumentById(ctx, id);
    if (!before || before.deletedAt) throw notFound('that_document');
    const firstShare = set.sharedWithPatient === true && !before.sharedAt;
    if (firstShare) set.sharedAt = now;
    // Conditional: a patient taking back their upload at this moment wins, and this is a 404.
    const row = await updateDocument(ctx, id, set, { undeletedOnly: true });
    if (!row) throw notFound('that_document');
    await recordChange(
      deps.audit,
      ctx,
      actor,
      changes.reviewed ? 'document.review' : 'document.update',
      row,
      {
        fields: Object.keys(changes).sort().join(','),
        shared: row.sharedWithPatient,
      },
    );
    if (firstShare) await tellPatientShared(deps, ctx, row);
    return row;
  });
}
