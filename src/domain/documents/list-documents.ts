import { notFound, validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById, findPatientNames, type PatientName } from '../patients/index.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { categoriesFor, staffRoleOf } from './documents.policy.ts';
import {
  type DocumentRow,
  listDocumentsToReview,
  listPatientDocuments,
  listPatientVisibleDocuments,
  listStoredDocuments,
} from './documents.repo.ts';
import { listFilters } from './documents.schema.ts';
import { scopeOf } from './patient-scope.ts';

/**
 * A chart's documents, newest first, of the categories the member may read (the front desk never
 * sees clinical ones listed), filtered by category and date; audited as one read with the count.
 */
export async function listDocuments(
  deps: DocumentsDeps,
  actor: Actor,
  patientId: string,
  filters: unknown = {},
): Promise<DocumentRow[]> {
  const role = await staffRoleOf(deps.db, actor);
  const f = validated(listFilters, filters);
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  const readable = categoriesFor(role, 'read');
  const categories = f.category ? readable.filter((c) => c === f.category) : readable;
  const rows = await listPatientDocuments(deps.db.reader, patientId, { categories, from: f.from, to: f.to });
  return deps.audit.recordListRead(
    actor,
    { action: 'document.list', entity: 'document', patientId, details: { category: f.category ?? null } },
    rows,
  );
}

/**
 * What the signed-in patient sees: documents shared with them and uploads from the app, theirs
 * and (a guardian) each dependant's — the app shows the person its switcher names. Audited as one
 * read of each person's list.
 */
export async function listOwnDocuments(
  deps: DocumentsDeps,
  actor: Actor & { id: string },
): Promise<DocumentRow[]> {
  const scope = await scopeOf(deps, actor);
  const rows = await listPatientVisibleDocuments(deps.db.reader, [...scope]);
  for (const patientId of scope) {
    const theirs = rows.filter((d) => d.patientId === patientId);
    await deps.audit.recordListRead(
      actor,
      { action: 'document.list', entity: 'document', patientId },
      theirs,
    );
  }
  return rows;
}

/** A patient's upload waiting for review, with its patient's name (the Inbox says who sent what). */
export type DocumentToReview = DocumentRow & { patient: PatientName };

/**
 * Patients' uploads waiting for staff (the Inbox), oldest first, of the categories the member may
 * read, each with its patient's name (read in one query for all of them); audited as one read.
 */
export async function listDocumentsForReview(
  deps: DocumentsDeps,
  actor: Actor,
  limit = 50,
): Promise<DocumentToReview[]> {
  const role = await staffRoleOf(deps.db, actor);
  const rows = await listDocumentsToReview(deps.db.reader, categoriesFor(role, 'read'), limit);
  const names = await findPatientNames(deps.db.reader, [...new Set(rows.map((d) => d.patientId))]);
  const named = rows.flatMap((d) => {
    const patient = names.get(d.patientId);
    return patient ? [{ ...d, patient }] : [];
  });
  return deps.audit.recordListRead(actor, { action: 'document.list-to-review', entity: 'document' }, named);
}

/** A stored file as operations see it (verify, migrate, key rotation): ids and keys, no names. */
export interface StoredDocumentFile {
  documentId: string;
  patientId: string;
  objectKey: string;
  wrappedKey: string;
  size: number;
  sha256: string;
}

/** Every document whose file is kept (deleted ones too, until purged). */
export async function listStoredFiles(deps: Pick<DocumentsDeps, 'db'>): Promise<StoredDocumentFile[]> {
  const rows = await listStoredDocuments(deps.db.reader);
  return rows.map((d) => ({
    documentId: d.id,
    patientId: d.patientId,
    objectKey: d.objectKey,
    wrappedKey: d.wrappedKey,
    size: d.size,
    sha256: d.sha256,
  }));
}
