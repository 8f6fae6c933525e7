import { categoryLabels, documentCategories, documentView } from '../../../domain/documents/index.ts';
import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import { withStreamedUpload } from '../../kit/upload.ts';
import type { RouteKit } from '../../routes.ts';
import type { HttpDeps } from '../../types.ts';
import { registeredPatientOf } from '../actors.ts';
import { contentAnswers, sendDocumentContent, withUploadBody } from '../document-content.ts';
import { documentList, downloadQuery, uploadRefusals, withDocument } from '../documents.ts';

const operations = apiOperations({ tags: ['Documents'], policy: 'patient' });
const list = operations.get('/', {
  summary:
    'The documents the clinic shared with me and my dependants, and those sent from the app (each names its patientId; audited)',
  ok: [documentList, 'My documents'],
});
const upload = operations.post('/', {
  summary:
    'Send the clinic a document or a photo, for me or a dependant (streamed; staff review it; 404 for anyone outside my family; 415 unsupported_type, 413 too_large; 429 too_many_uploads when 20 already wait for review)',
  request: {},
  created: [withDocument, 'Sent'],
  responses: uploadRefusals,
  refuses: [401, 403, 404, 422, 429],
});
const remove = operations.delete('/{id}', {
  summary:
    'Take back a document sent from the app that the clinic has not reviewed yet (soft delete, audited; 403 not_own_upload for one the clinic shared, 409 already_reviewed)',
  noContent: 'Deleted',
  conflicts: 'already_reviewed: the clinic has reviewed it',
  refuses: [401, 403, 404],
});
const content = operations.get('/{id}/content', {
  summary: 'A document’s content (ETag, Range; inline for PDFs and images; audited)',
  query: downloadQuery,
  responses: contentAnswers,
});

/**
 * `/api/v1/me/documents`: the patient app's documents — what the clinic shared, what the patient
 * sent (it waits in the staff Inbox for review, and may be taken back until then) — held by the
 * domain to the signed-in patient's record and their dependants'.
 */
export function meDocumentsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const rows = await deps.documents.listOwn(registeredPatientOf(c));
    return c.json({ documents: rows.map(documentView) }, 200);
  });
  const uploadRoute = withUploadBody(apiRoute(kit, upload), {
    category: {
      type: 'string',
      enum: [...documentCategories],
      description: `Default other. ${documentCategories.map((c) => `${c}: ${categoryLabels[c]}`).join(', ')}`,
    },
    title: { type: 'string', description: 'Default: the file’s name' },
    patientId: { type: 'string', description: 'A dependant’s id, to send for them (default: me)' },
  });
  app.openapi(uploadRoute, async (c) => {
    const actor = registeredPatientOf(c);
    const stored = await withStreamedUpload(c, (input) => deps.documents.uploadOwn(actor, input));
    return c.json({ document: documentView(stored) }, 201);
  });
  app.openapi(apiRoute(kit, content), (c) =>
    sendDocumentContent(c, (options) =>
      deps.documents.openOwn(registeredPatientOf(c), c.req.valid('param').id, options),
    ),
  );
  app.openapi(apiRoute(kit, remove), async (c) => {
    await deps.documents.removeOwn(registeredPatientOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
