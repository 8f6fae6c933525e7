import {
  createInvoiceInput,
  creditNoteInput,
  listFilterInput,
  paymentInput,
  updateInvoiceInput,
} from '../../domain/billing/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { invoiceOut, invoiceReadOut, withInvoice, withInvoiceRead, withInvoices } from './invoice-json.ts';

const operations = apiOperations({ tags: ['Invoices'], policy: 'billing.manage' });
const list = operations.get('/', {
  policy: 'billing.read',
  summary:
    'Invoices and credit notes, newest first (the front desk and admins: all, or one patient’s; practitioners: their own patients’). Audited',
  query: listFilterInput,
  ok: [withInvoices, 'The invoices'],
  refuses: [401, 403, 422],
});
const create = operations.post('/', {
  summary:
    'A draft invoice, by hand ({patientId, lines:[{description, quantity, unitPrice}]}, amounts in minor units; a line may name a serviceId or productId for its price and tax) or from an appointment ({appointmentId}: its service at the practitioner’s price)',
  body: createInvoiceInput,
  created: [withInvoice, 'The draft (number null until issued)'],
  conflicts: 'invoice_exists: the appointment has a draft already',
  refuses: [401, 403, 404, 422],
});
const read = operations.get('/{id}', {
  policy: 'billing.read',
  summary:
    'One invoice with its lines, tax breakdown, payments and when it was last emailed to its payer (audited)',
  ok: [withInvoiceRead, 'The invoice'],
});
const update = operations.patch('/{id}', {
  summary:
    'Change a draft: lines (all replaced), payer, due date, note; `version` optional. An issued (or void) invoice never changes: 409 invoice_issued',
  body: updateInvoiceInput,
  ok: [withInvoice, 'The draft'],
  conflicts: 'invoice_issued, version_conflict',
});
const issue = operations.post('/{id}/issue', {
  summary:
    'Issue a draft: the next number of the year (INV-2026-00042; no gap, no duplicate), issue and due dates, the clinic’s legal details and footer',
  ok: [withInvoice, 'Issued'],
  conflicts: 'invoice_issued, invoice_empty',
});
const voidIt = operations.post('/{id}/void', {
  summary:
    'Void a draft, or an issued invoice with nothing paid (a credit note of all its lines is issued beside it); once paid: 409 invoice_has_payments',
  ok: [withInvoice, 'Void'],
  conflicts: 'invoice_has_payments, invoice_void, invoice_issued',
});
const pay = operations.post('/{id}/payments', {
  summary:
    'Record a payment (cash, card, transfer, other, or the patient’s credit) on an issued invoice: part payments make it part_paid, the last paid, any excess becomes the patient’s credit. On a credit note a negative amount is a refund',
  body: paymentInput,
  ok: [withInvoice, 'The invoice after the payment'],
  conflicts: 'invoice_not_issued, invoice_paid, invoice_void, insufficient_credit',
});
const credit = operations.post('/{id}/credit-notes', {
  summary:
    'Correct an issued invoice: a credit note (negative, numbered in the same series) for all its lines or some ({lines:[{position, quantity?}]}), issued at once',
  body: creditNoteInput,
  created: [withInvoice, 'The credit note'],
  conflicts: 'invoice_not_issued, credit_exceeds_invoice',
});

/** `/api/v1/invoices`: staff make, change (drafts), issue, void, credit invoices and take payments. */
export function invoicesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const rows = await deps.billing.list(actorOf(c), c.req.query());
    return c.json({ invoices: rows.map(invoiceOut) }, 200);
  });
  app.openapi(apiRoute(kit, create), async (c) => {
    const view = await deps.billing.create(actorOf(c), await c.req.json());
    return c.json({ invoice: invoiceOut(view) }, 201);
  });
  app.openapi(apiRoute(kit, read), async (c) => {
    const view = await deps.billing.get(actorOf(c), c.req.valid('param').id);
    return c.json({ invoice: invoiceReadOut(view) }, 200);
  });
  // A draft's changes and an invoice's steps answer alike: the invoice after the change. Changing
  // and paying send a body, which the domain parses as sent; issuing and voiding send none.
  for (const [route, change] of [
    [update, deps.billing.update],
    [issue, deps.billing.issue],
    [voidIt, deps.billing.void],
    [pay, deps.billing.pay],
  ] as const) {
    app.openapi(apiRoute(kit, route), async (c) => {
      const body = 'body' in route.request ? await c.req.json() : undefined;
      const view = await change(actorOf(c), c.req.valid('param').id, body);
      return c.json({ invoice: invoiceOut(view) }, 200);
    });
  }
  app.openapi(apiRoute(kit, credit), async (c) => {
    const view = await deps.billing.credit(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ invoice: invoiceOut(view) }, 201);
  });
  return app;
}
