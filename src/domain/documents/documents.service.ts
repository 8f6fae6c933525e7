import type { Actor } from '../audit/index.ts';
import { deleteDocument } from './delete-document.ts';
import { deleteOwnDocument } from './delete-own-document.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import type { DocumentRow } from './documents.repo.ts';
import {
  type DocumentToReview,
  listDocuments,
  listDocumentsForReview,
  listOwnDocuments,
  listStoredFiles,
  type StoredDocumentFile,
} from './list-documents.ts';
import {
  getDocument,
  type OpenedDocument,
  type OpenOptions,
  openDocument,
  openOwnDocument,
} from './read-document.ts';
import { changeDocument } from './update-document.ts';
import { type UploadInput, uploadDocument, uploadOwnDocument } from './upload-document.ts';

/**
 * Documents on patients' charts, for staff (the chart, the Inbox, the API), for the patient app
 * (what was shared with them, their own uploads) and for operations (verify, migrate, keys
 * rotate). Every read and change is audited; each use case is a file of its own.
 */
export function documentsService(deps: DocumentsDeps) {
  return {
    /** Staff upload to a chart (streamed; 415 unsupported_type, 413 too_large, 422 fields). */
    upload: (actor: Actor, patientId: string, input: UploadInput): Promise<DocumentRow> =>
      uploadDocument(deps, actor, patientId, input),
    /** The signed-in patient uploads to their own record or a dependant's (`patientId` field; waits in the Inbox for review). */
    uploadOwn: (actor: Actor & { id: string }, input: UploadInput): Promise<DocumentRow> =>
      uploadOwnDocument(deps, actor, input),

    /** A chart's documents the member may read, filtered ({category, from, to}); audited. */
    list: (actor: Actor, patientId: string, filters?: unknown): Promise<DocumentRow[]> =>
      listDocuments(deps, actor, patientId, filters),
    /** The patient's and their dependants': shared with them, or uploaded from the app; audited. */
    listOwn: (actor: Actor & { id: string }): Promise<DocumentRow[]> => listOwnDocuments(deps, actor),
    /** Patients' uploads not yet reviewed (the Inbox), oldest first, with each patient's name; audited. */
    listToReview: (actor: Actor, limit?: number): Promise<DocumentToReview[]> =>
      listDocumentsForReview(deps, actor, limit),

    /** One document's details (staff; audited). */
    get: (actor: Actor, id: string): Promise<DocumentRow> => getDocument(deps, actor, id),
    /** Its content, a range of it or "not modified" (staff; audited every time). */
    open: (actor: Actor, id: string, options?: OpenOptions): Promise<OpenedDocument> =>
      openDocument(deps, actor, id, options),
    /** The content of a document the patient may see (audited). */
    openOwn: (actor: Actor & { id: string }, id: string, options?: OpenOptions): Promise<OpenedDocument> =>
      openOwnDocument(deps, actor, id, options),

    /** Rename, re-categorise, re-date, share/unshare, mark reviewed ({title, category, documentDate, appointmentId, sharedWithPatient, reviewed}). */
    update: (actor: Actor, id: string, input: unknown): Promise<DocumentRow> =>
      changeDocument(deps, actor, id, input),
    /** Marks a patient's upload reviewed. */
    markReviewed: (actor: Actor, id: string): Promise<DocumentRow> =>
      changeDocument(deps, actor, id, { reviewed: true }),
    /** Soft delete with a reason ({reason}); the file is purged after the retention period. */
    remove: (actor: Actor, id: string, input: unknown): Promise<void> =>
      deleteDocument(deps, actor, id, input),
    /** The patient takes back an upload from the app not yet reviewed (theirs or a dependant's); audited. */
    removeOwn: (actor: Actor & { id: string }, id: string): Promise<void> =>
      deleteOwnDocument(deps, actor, id),

    /** Every kept document file (ids, keys, size, checksum); every area's: the storedFiles service. */
    listStoredFiles: (): Promise<StoredDocumentFile[]> => listStoredFiles(deps),

    /** The upload limit in bytes (for forms and the app to say it). */
    maxBytes: deps.maxBytes,
  };
}

export type DocumentsService = ReturnType<typeof documentsService>;
