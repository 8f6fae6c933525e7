import type { DocumentRow } from './documents.repo.ts';
import type { DocumentCategory } from './documents.schema.ts';

/**
 * A document as the API, the staff pages and the patient app see it: never the object's key or
 * its wrapped data key, nor who deleted it and why.
 */
export interface DocumentView {
  id: string;
  patientId: string;
  title: string;
  category: DocumentCategory;
  contentType: string;
  size: number;
  sha256: string;
  fileName: string;
  documentDate: string;
  appointmentId: string | null;
  sharedWithPatient: boolean;
  source: 'staff' | 'patient';
  reviewedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const documentView = (d: DocumentRow): DocumentView => ({
  id: d.id,
  patientId: d.patientId,
  title: d.title,
  category: d.category as DocumentCategory,
  contentType: d.contentType,
  size: d.size,
  sha256: d.sha256,
  fileName: d.fileName,
  documentDate: d.documentDate,
  appointmentId: d.appointmentId,
  sharedWithPatient: d.sharedWithPatient,
  source: d.source as 'staff' | 'patient',
  reviewedAt: d.reviewedAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});
