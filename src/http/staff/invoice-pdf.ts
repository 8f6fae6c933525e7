import { Hono } from 'hono';
import { sendInvoiceFile } from '../invoice-file.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/**
 * `/staff/invoices/:id/invoice.pdf` and `/staff/invoices/:id/receipt.pdf` (billing.read; a
 * practitioner only their own patients', else 404): the invoice, credit note or receipt to print
 * or save, shown inline by the browser. Each file made is an audited read (the billing domain's).
 */
export function staffInvoicePdfRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const needs = kit.authorize('billing.read');
  app.get('/:id/invoice.pdf', needs, async (c) =>
    sendInvoiceFile(c, await deps.billing.pdf(actorOf(c), c.req.param('id'), 'invoice')),
  );
  app.get('/:id/receipt.pdf', needs, async (c) =>
    sendInvoiceFile(c, await deps.billing.pdf(actorOf(c), c.req.param('id'), 'receipt')),
  );
  return app;
}
