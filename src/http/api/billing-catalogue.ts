import { z } from '@hono/zod-openapi';
import {
  billingSettingsInput,
  type ProductRow,
  productChange,
  productInput,
  type ServicePriceRow,
  servicePricesInput,
  type TaxRateRow,
  taxRateChange,
  taxRateInput,
} from '../../domain/billing/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { id } from './schemas.ts';

/**
 * The billing catalogue over the API (issue 20): the clinic's billing settings, tax rates,
 * products and each service's prices. Staff who bill read them (billing.read); admins change
 * them (settings.manage). Amounts are integers of the currency's minor units, rates basis points.
 */
const minor = z.int().describe('Minor units of the clinic currency (cents; yen for JPY)');

const taxRateJson = z.object({
  id,
  name: z.string(),
  basisPoints: z.int().describe('2000 = 20 %'),
  inclusive: z.boolean().describe('true: the tax is inside the price; false: added to it'),
  active: z.boolean().describe('false: archived (kept on the lines that used it, not offered)'),
});
const productJson = z.object({
  id,
  name: z.string(),
  unitPrice: minor,
  taxRateId: id.nullable(),
  active: z.boolean(),
});
const servicePriceJson = z.object({
  serviceId: id,
  priced: z.boolean().describe('false: no price set yet (the other fields are then null or empty)'),
  unitPrice: minor.nullable(),
  taxRateId: id.nullable(),
  noShowFee: minor.nullable(),
  lateCancelFee: minor.nullable(),
  overrides: z.array(z.object({ practitionerId: id, unitPrice: minor })),
});
const settingsJson = z.object({ settings: billingSettingsInput });

const taxRateOut = (r: TaxRateRow) => ({
  id: r.id,
  name: r.name,
  basisPoints: r.basisPoints,
  inclusive: r.inclusive,
  active: r.active,
});
const productOut = (p: ProductRow) => ({
  id: p.id,
  name: p.name,
  unitPrice: p.unitPrice,
  taxRateId: p.taxRateId,
  active: p.active,
});
/** A service's price rows as one object: its own price and fees, and the overrides. */
export function servicePriceOut(serviceId: string, rows: readonly ServicePriceRow[]) {
  const own = rows.find((r) => r.practitionerId === '');
  return {
    serviceId,
    priced: Boolean(own),
    unitPrice: own?.unitPrice ?? null,
    taxRateId: own?.taxRateId ?? null,
    noShowFee: own?.noShowFee ?? null,
    lateCancelFee: own?.lateCancelFee ?? null,
    overrides: rows
      .filter((r) => r.practitionerId !== '')
      .map((r) => ({ practitionerId: r.practitionerId, unitPrice: r.unitPrice })),
  };
}

/** Every catalogue route, whatever its prefix: read by staff who bill, changed by admins. */
const reads = apiOperations({ tags: ['Billing settings'], policy: 'billing.read' });
const changes = apiOperations({ tags: ['Billing settings'], policy: 'settings.manage' });
const readSettings = reads.get('/settings', {
  summary: 'The billing settings: currency, days until due, invoice on completion, legal details, footer',
  ok: [settingsJson, 'The settings'],
});
const putSettings = changes.put('/settings', {
  summary:
    'Change the billing settings (fields left out stay). The currency cannot change once an invoice is issued: 409 currency_locked',
  body: billingSettingsInput.partial(),
  ok: [settingsJson, 'The settings as saved'],
  conflicts: 'currency_locked',
  refuses: [401, 403, 404, 422],
});

/** `/api/v1/billing`: the clinic's billing settings. */
export function billingSettingsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, readSettings), async (c) => {
    const { settings } = await deps.billing.priceList(actorOf(c));
    return c.json({ settings }, 200);
  });
  app.openapi(apiRoute(kit, putSettings), async (c) => {
    const settings = await deps.billing.updateSettings(actorOf(c), await c.req.json());
    return c.json({ settings }, 200);
  });
  return app;
}

const listTaxRates = reads.get('/', {
  summary: 'Tax rates, archived ones too (active false)',
  ok: [z.object({ taxRates: z.array(taxRateJson) }), 'The rates'],
});
const createTaxRate = changes.post('/', {
  summary: 'Add a tax rate ({name, basisPoints, inclusive})',
  body: taxRateInput,
  created: [z.object({ taxRate: taxRateJson }), 'The rate'],
});
const changeTaxRate = changes.patch('/{id}', {
  summary:
    'Change a tax rate, or archive it ({active:false}; invoices keep the rate they were priced with). The default rate cannot be archived: 409 tax_rate_is_default',
  body: taxRateChange,
  ok: [z.object({ taxRate: taxRateJson }), 'The rate'],
  conflicts: 'tax_rate_is_default',
});

/** `/api/v1/tax-rates`. */
export function taxRatesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, listTaxRates), async (c) => {
    const { taxRates } = await deps.billing.priceList(actorOf(c));
    return c.json({ taxRates: taxRates.map(taxRateOut) }, 200);
  });
  app.openapi(apiRoute(kit, createTaxRate), async (c) => {
    const row = await deps.billing.createTaxRate(actorOf(c), await c.req.json());
    return c.json({ taxRate: taxRateOut(row) }, 201);
  });
  app.openapi(apiRoute(kit, changeTaxRate), async (c) => {
    const row = await deps.billing.changeTaxRate(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ taxRate: taxRateOut(row) }, 200);
  });
  return app;
}

const listProducts = reads.get('/', {
  summary: 'Products sold at the desk, archived ones too (active false)',
  ok: [z.object({ products: z.array(productJson) }), 'The products'],
});
const createProduct = changes.post('/', {
  summary: 'Add a product ({name, unitPrice, taxRateId})',
  body: productInput,
  created: [z.object({ product: productJson }), 'The product'],
  refuses: [401, 403, 404, 422],
});
const changeProduct = changes.patch('/{id}', {
  summary: 'Change a product, or archive it ({active:false}: no longer offered on new invoices)',
  body: productChange,
  ok: [z.object({ product: productJson }), 'The product'],
});

/** `/api/v1/products`. */
export function productsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, listProducts), async (c) => {
    const { products } = await deps.billing.priceList(actorOf(c));
    return c.json({ products: products.map(productOut) }, 200);
  });
  app.openapi(apiRoute(kit, createProduct), async (c) => {
    const row = await deps.billing.createProduct(actorOf(c), await c.req.json());
    return c.json({ product: productOut(row) }, 201);
  });
  app.openapi(apiRoute(kit, changeProduct), async (c) => {
    const row = await deps.billing.changeProduct(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ product: productOut(row) }, 200);
  });
  return app;
}

const readPrice = reads.get('/{id}/price', {
  summary: 'A service’s price, tax rate, no-show and late-cancellation fees, and practitioners’ overrides',
  ok: [z.object({ price: servicePriceJson }), 'The price'],
});
const putPrice = changes.put('/{id}/price', {
  summary:
    'Set a service’s price at once: {unitPrice, taxRateId, noShowFee, lateCancelFee, overrides:[{practitionerId, unitPrice}]} (overrides left out are removed)',
  body: servicePricesInput,
  ok: [z.object({ price: servicePriceJson }), 'The price'],
});

/** `/api/v1/services/{id}/price`. */
export function servicePricesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, readPrice), async (c) => {
    const serviceId = c.req.valid('param').id;
    await deps.services.get(serviceId); // 404 for no such service
    const { prices } = await deps.billing.catalogue(actorOf(c), serviceId);
    return c.json({ price: servicePriceOut(serviceId, prices) }, 200);
  });
  app.openapi(apiRoute(kit, putPrice), async (c) => {
    const serviceId = c.req.valid('param').id;
    const rows = await deps.billing.setServicePrices(actorOf(c), serviceId, await c.req.json());
    return c.json({ price: servicePriceOut(serviceId, rows) }, 200);
  });
  return app;
}
