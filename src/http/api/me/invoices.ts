import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import type { RouteKit } from '../../routes.ts';
import type { HttpDeps } from '../../types.ts';
import { registeredPatientOf } from '../actors.ts';
import { invoiceOut, withInvoice, withInvoices } from '../invoice-json.ts';

const operations = apiOperations({ tags: ['Invoices'], policy: 'patient' });
const list = operations.get('/', {
  summary:
    'My invoices and my dependants’ (each names its patientId), issued ones, newest first, with status, lines and payments (audited)',
  ok: [withInvoices, 'My invoices'],
});
const read = operations.get('/{id}', {
  summary: 'One of my invoices (audited); another patient’s is 404',
  ok: [withInvoice, 'The invoice'],
});

/** `/api/v1/me/invoices`: the patient app's invoices, held by the domain to the patient's family. */
export function meInvoicesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const rows = await deps.billing.listOwn(registeredPatientOf(c));
    return c.json({ invoices: rows.map(invoiceOut) }, 200);
  });
  app.openapi(apiRoute(kit, read), async (c) => {
    const view = await deps.billing.readOwn(registeredPatientOf(c), c.req.valid('param').id);
    return c.json({ invoice: invoiceOut(view) }, 200);
  });
  return app;
}
