import { Hono } from 'hono';
import { DocumentsList } from '../../../views/partials/documents-list.tsx';
import { documentView } from '../../domain/documents/index.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { withStreamedUpload } from '../kit/upload.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { documentNotices, documentPage, documentsSection } from './documents-view.tsx';

/**
 * `/staff/patients/:id/documents…`: documents on a patient's chart. The list (htmx replaces it
 * when filtered), the streamed upload static/documents.js sends each file to (JSON answers:
 * 201 with the document, else the error), a document's page (preview, download, changes) and its
 * changes: rename / re-categorise, share with the patient or stop, mark reviewed, delete with a
 * reason. The domain checks each against the member's role (clinical categories need a
 * clinical role) and audits every read and change.
 */
export function staffDocumentsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const chartOf = (id: string) => `/staff/patients/${encodeURIComponent(id)}`;
  const pageOf = (id: string, docId: string) => `${chartOf(id)}/documents/${encodeURIComponent(docId)}`;

  app.get('/:id/documents', authorize('patients.read'), async (c) => {
    const id = c.req.param('id');
    if (!c.req.header('hx-request')) {
      const query = new URLSearchParams(c.req.query()).toString();
      return c.redirect(`${chartOf(id)}${query ? `?${query}` : ''}#documents`, 303);
    }
    const section = await documentsSection(deps, c, id);
    if (!section) return c.body(null, 204);
    return c.html(
      <DocumentsList
        patientId={id}
        rows={section.rows}
        filter={section.filter}
        categories={section.categories}
      />,
    );
  });

  app.post('/:id/documents', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const created = await withStreamedUpload(c, (upload) => deps.documents.upload(actorOf(c), id, upload));
    return c.json({ document: documentView(created) }, 201);
  });

  app.get('/:id/documents/:docId', authorize('patients.read'), (c) =>
    documentPage(deps, kit, c, { notice: documentNotices[c.req.query('notice') ?? ''] }),
  );

  app.post('/:id/documents/:docId', authorize('patients.write'), async (c) => {
    const { id, docId } = c.req.param();
    const form = await readForm(c);
    const typed = {
      title: form.text('title'),
      category: form.text('category'),
      documentDate: form.text('documentDate'),
      appointmentId: form.text('appointmentId'),
    };
    return orRerender(
      async () => {
        await deps.documents.update(actorOf(c), docId, {
          ...typed,
          appointmentId: typed.appointmentId || null,
        });
        return redirect(c, `${pageOf(id, docId)}?notice=saved`);
      },
      (refusal) =>
        documentPage(deps, kit, c, {
          status: refusal.status,
          edit: { ...typed, errors: { form: refusal.first, ...refusal.fields } },
        }),
    );
  });

  app.post('/:id/documents/:docId/share', authorize('patients.write'), async (c) => {
    const { id, docId } = c.req.param();
    const shared = (await readForm(c)).text('shared') === 'true';
    await deps.documents.update(actorOf(c), docId, { sharedWithPatient: shared });
    return redirect(c, `${pageOf(id, docId)}?notice=${shared ? 'shared' : 'unshared'}`);
  });

  app.post('/:id/documents/:docId/reviewed', authorize('patients.write'), async (c) => {
    const { id, docId } = c.req.param();
    const back = (await readForm(c)).text('back');
    await deps.documents.markReviewed(actorOf(c), docId);
    return redirect(
      c,
      back === 'inbox'
        ? '/staff/inbox?notice=document-reviewed#h-documents'
        : `${pageOf(id, docId)}?notice=reviewed`,
    );
  });

  app.post('/:id/documents/:docId/delete', authorize('patients.write'), async (c) => {
    const { id, docId } = c.req.param();
    const reason = (await readForm(c)).text('reason');
    return orRerender(
      async () => {
        await deps.documents.remove(actorOf(c), docId, { reason });
        return redirect(c, `${chartOf(id)}?documents=deleted#documents`);
      },
      (refusal) => documentPage(deps, kit, c, { status: refusal.status, deleteError: refusal.first }),
    );
  });

  return app;
}
