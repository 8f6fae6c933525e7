import { z } from '@hono/zod-openapi';
import { pdfAnswer, pdfKindQuery, sendInvoiceFile } from '../invoice-file.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { registeredPatientOf } from './actors.ts';

const operations = apiOperations({ tags: ['Invoices'], policy: 'billing.read' });
const pdf = operations.get('/{id}/pdf', {
  summary:
    'The invoice (or credit note) as a PDF, or with ?kind=receipt the receipt of its payments; a draft prints marked DRAFT and has no receipt (409 invoice_not_issued). Practitioners: their own patients’ only (else 404). Audited',
  query: pdfKindQuery,
  responses: { ...pdfAnswer, 409: { description: 'invoice_not_issued: a draft has no receipt' } },
  refuses: [401, 403, 404, 422],
});
const send = operations.post('/{id}/send', {
  policy: 'billing.manage',
  summary:
    'Email the issued invoice to its payer again, its PDF attached (made when the email is sent). 409 invoice_not_issued for a draft, payer_no_email when the payer has no email address (recorded in the audit log)',
  accepted: [z.object({ queued: z.int() }), 'Queued: the number of emails'],
  conflicts: 'invoice_not_issued, payer_no_email',
});

/** `/api/v1/invoices/{id}/pdf` and `…/send`: an invoice's PDF for staff, and emailing it. */
export function invoiceDocumentsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, pdf), async (c) =>
    sendInvoiceFile(
      c,
      await deps.billing.pdf(actorOf(c), c.req.valid('param').id, c.req.valid('query').kind),
    ),
  );
  app.openapi(apiRoute(kit, send), async (c) => {
    const sent = await deps.billing.send(actorOf(c), c.req.valid('param').id);
    return c.json(sent, 202);
  });
  return app;
}

const own = apiOperations({ tags: ['Invoices'], policy: 'patient' });
const ownPdf = own.get('/{id}/pdf', {
  summary:
    'One of my invoices (or my dependants’) as a PDF, or ?kind=receipt its receipt; another patient’s is 404. Audited',
  query: pdfKindQuery,
  responses: { ...pdfAnswer, 422: { description: 'kind is neither invoice nor receipt' } },
});

/** `/api/v1/me/invoices/{id}/pdf`: the patient app's download, held by the domain to the family. */
export function meInvoiceDocumentsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, ownPdf), async (c) =>
    sendInvoiceFile(
      c,
      await deps.billing.ownPdf(registeredPatientOf(c), c.req.valid('param').id, c.req.valid('query').kind),
    ),
  );
  return app;
}
