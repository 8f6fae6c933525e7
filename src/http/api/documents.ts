import { z } from '@hono/zod-openapi';
import { categoryLabels, documentCategories, documentView } from '../../domain/documents/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { withStreamedUpload } from '../kit/upload.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { contentAnswers, sendDocumentContent, withUploadBody } from './document-content.ts';
import { optionalChoice } from './optional-query.ts';
import { id, instant } from './schemas.ts';

/** A document as the API shows it (the domain's documentView). */
export const document = z.object({
  id,
  patientId: id,
  title: z.string(),
  category: z.enum(documentCategories),
  contentType: z
    .string()
    .describe('Sniffed from the bytes (PDF, JPEG, PNG, HEIC, WebP, TIFF, DOCX, XLSX, TXT, CSV)'),
  size: z.int(),
  sha256: z.string().describe('SHA-256 of the content, hex (the content’s ETag)'),
  fileName: z.string(),
  documentDate: z.iso.date(),
  appointmentId: id.nullable(),
  sharedWithPatient: z.boolean(),
  source: z.enum(['staff', 'patient']),
  reviewedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export const withDocument = z.object({ document });
export const documentList = z.object({ documents: z.array(document) });

/**
 * The changes' and the delete's bodies as the document shows them; the domain reads the body as
 * sent with its own schemas (documentChanges, deleteInput), which also take form values.
 */
const changesBody = z.strictObject({
  title: z.string().optional(),
  category: z.enum(documentCategories).optional(),
  documentDate: z.string().optional().describe('YYYY-MM-DD'),
  appointmentId: z.string().nullable().optional(),
  sharedWithPatient: z
    .boolean()
    .optional()
    .describe('true: the patient sees it (and is told, the first time)'),
  reviewed: z.literal(true).optional().describe('Mark a patient’s upload reviewed'),
});
const deleteBody = z.object({ reason: z.string().describe('Why (kept with the deleted document)') });

const categoryField = {
  type: 'string' as const,
  enum: [...documentCategories],
  description: `One of: ${documentCategories.map((c) => `${c} (${categoryLabels[c]})`).join(', ')}. Clinical ones need a clinical role.`,
};
const listQuery = z.object({
  category: optionalChoice(documentCategories, 'Only this category'),
  from: z.string().optional().describe('Document date from (YYYY-MM-DD)'),
  to: z.string().optional().describe('Document date to (YYYY-MM-DD)'),
});

/** `?download=1`: as an attachment, whatever the type. */
export const downloadQuery = z.object({
  download: optionalChoice(['1'], '1: as an attachment'),
});

/** An upload's own refusals, from the staff chart and from the patient app alike. */
export const uploadRefusals = {
  413: { description: 'too_large' },
  415: { description: 'unsupported_type' },
};

/** Staff read a chart's documents with `patients.read` and change them with `patients.write`. */
const reads = apiOperations({ tags: ['Documents'], policy: 'patients.read' });
const writes = apiOperations({ tags: ['Documents'], policy: 'patients.write' });
const upload = writes.post('/{id}/documents', {
  summary:
    'Upload a document to a patient’s chart (streamed; type sniffed: 415 unsupported_type; over --max-upload-mb: 413 too_large)',
  created: [withDocument, 'Stored'],
  responses: uploadRefusals,
  refuses: [401, 403, 404, 422],
});
const list = reads.get('/{id}/documents', {
  summary: 'A patient’s documents the caller may read, newest first (audited)',
  query: listQuery,
  ok: [documentList, 'The documents'],
});

const get = reads.get('/{id}', {
  summary: 'One document’s details (audited)',
  ok: [withDocument, 'The document'],
});
const change = writes.patch('/{id}', {
  summary:
    'Rename, re-categorise, re-date, link to an appointment, share with the patient (they are told once) or mark reviewed',
  body: changesBody,
  ok: [withDocument, 'Changed'],
});
const remove = writes.delete('/{id}', {
  summary: 'Delete a document, with a reason (its file is purged after the retention period)',
  body: deleteBody,
  noContent: 'Deleted',
});
const content = reads.get('/{id}/content', {
  summary: 'The document’s content: ETag, Range, inline for PDFs and images (audited, every time)',
  query: downloadQuery,
  responses: contentAnswers,
});

/** `/api/v1/patients/{id}/documents`: a chart's documents for staff — list and upload. */
export function patientDocumentsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const uploadRoute = withUploadBody(apiRoute(kit, upload), {
    category: categoryField,
    title: { type: 'string', description: 'Default: the file’s name' },
    documentDate: { type: 'string', description: 'YYYY-MM-DD (default: today at the clinic)' },
    appointmentId: { type: 'string', description: 'An appointment of this patient' },
    sharedWithPatient: { type: 'string', enum: ['true', 'false'], description: 'Shown in the patient app' },
  });
  app.openapi(uploadRoute, async (c) => {
    const patientId = c.req.valid('param').id;
    const stored = await withStreamedUpload(c, (input) =>
      deps.documents.upload(actorOf(c), patientId, input),
    );
    return c.json({ document: documentView(stored) }, 201);
  });
  app.openapi(apiRoute(kit, list), async (c) => {
    const rows = await deps.documents.list(actorOf(c), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ documents: rows.map(documentView) }, 200);
  });
  return app;
}

/** `/api/v1/documents/{id}`: one document for staff — details, changes, delete, content. */
export function documentsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, get), async (c) =>
    c.json({ document: documentView(await deps.documents.get(actorOf(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(apiRoute(kit, change), async (c) => {
    const changed = await deps.documents.update(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ document: documentView(changed) }, 200);
  });
  app.openapi(apiRoute(kit, remove), async (c) => {
    await deps.documents.remove(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.body(null, 204);
  });
  app.openapi(apiRoute(kit, content), (c) =>
    sendDocumentContent(c, (options) => deps.documents.open(actorOf(c), c.req.valid('param').id, options)),
  );
  return app;
}
