import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { signedInAs } from '../../testing/signed-in.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from '../../testing/two-patients-world.ts';

/*
 * Issue 20, the billing catalogue over HTTP: an admin sets the settings (legal details printed on
 * the issued invoice), adds, changes and archives tax rates and products, sets a service's price
 * with a practitioner's override; the front desk reads but may not change; bad input and a
 * currency change after an invoice was issued are refused and change nothing.
 */
describe.each(bothDialects)('billing catalogue API, on %s', (dialect) => {
  let { app, clinic, desk, doctor, anna } = {} as TwoPatientsWorld;
  let admin: TestBrowser;

  beforeAll(async () => {
    ({ app, clinic, desk, doctor, anna } = await twoPatientsWorld(dialect));
    admin = await signedInAs(app, 'ada@clinic.example');
  });
  afterAll(() => app.destroy());

  const body = async <T>(res: Response) => (await res.json()) as T;
  type Err = { error: { code: string; message: string; issues?: { path: string }[] } };

  it('settings: read by the desk, changed by the admin; bad input changes nothing', async () => {
    const put = await admin.json('PUT', '/api/v1/billing/settings', {
      currency: 'gbp',
      dueDays: 30,
      onCompletion: 'draft',
      legalName: 'Riverside Physio Ltd',
      legalAddress: '12 River Lane\nLondon SE1 9RA',
      taxNumber: 'VAT GB123456789',
      bankDetails: 'Sort code 12-34-56, account 12345678',
      legalDetails: 'Registered in England, 01234567',
      footer: 'Thank you',
    });
    expect(put.status).toBe(200);
    expect((await body<{ settings: unknown }>(put)).settings).toMatchObject({ currency: 'GBP', dueDays: 30 });

    const bad = await admin.json('PUT', '/api/v1/billing/settings', { currency: 'XYZ', dueDays: 5 });
    expect(bad.status).toBe(422);
    expect((await body<Err>(bad)).error.issues?.map((i) => i.path)).toEqual(['currency']);
    const read = await desk.get('/api/v1/billing/settings');
    expect(read.status).toBe(200);
    expect((await body<{ settings: unknown }>(read)).settings).toMatchObject({
      currency: 'GBP',
      dueDays: 30,
      onCompletion: 'draft',
      legalName: 'Riverside Physio Ltd',
    });
    expect((await desk.json('PUT', '/api/v1/billing/settings', { dueDays: 1 })).status).toBe(403);
  });

  it('tax rates and products: added, changed, archived; the desk may not', async () => {
    const vat = await admin.json('POST', '/api/v1/tax-rates', {
      name: 'VAT',
      basisPoints: 2000,
      inclusive: false,
    });
    expect(vat.status).toBe(201);
    const rate = (await body<{ taxRate: { id: string } }>(vat)).taxRate;
    expect(rate).toMatchObject({ name: 'VAT', basisPoints: 2000, inclusive: false, active: true });
    const renamed = await admin.json('PATCH', `/api/v1/tax-rates/${rate.id}`, { name: 'VAT standard' });
    expect((await body<{ taxRate: unknown }>(renamed)).taxRate).toMatchObject({
      name: 'VAT standard',
      basisPoints: 2000,
    });
    expect(
      (await admin.json('POST', '/api/v1/tax-rates', { name: '', basisPoints: 20001, inclusive: 1 })).status,
    ).toBe(422);
    expect(
      (await desk.json('POST', '/api/v1/tax-rates', { name: 'X', basisPoints: 0, inclusive: false })).status,
    ).toBe(403);

    const made = await admin.json('POST', '/api/v1/products', {
      name: 'Knee brace',
      unitPrice: 2500,
      taxRateId: rate.id,
    });
    expect(made.status).toBe(201);
    const brace = (await body<{ product: { id: string } }>(made)).product;
    const changed = await admin.json('PATCH', `/api/v1/products/${brace.id}`, { unitPrice: 2750 });
    expect((await body<{ product: unknown }>(changed)).product).toMatchObject({
      name: 'Knee brace',
      unitPrice: 2750,
      taxRateId: rate.id,
      active: true,
    });
    const unknownRate = await admin.json('PATCH', `/api/v1/products/${brace.id}`, { taxRateId: 'nope' });
    expect(unknownRate.status).toBe(404);
    expect((await admin.json('PATCH', '/api/v1/products/nope', { unitPrice: 1 })).status).toBe(404);
    expect((await desk.json('PATCH', `/api/v1/products/${brace.id}`, { active: false })).status).toBe(403);

    // A draft with the product, then both archived: the invoice keeps its line and rate.
    const draft = await desk.json('POST', '/api/v1/invoices', {
      patientId: anna.id,
      lines: [{ productId: brace.id, quantity: 1 }],
    });
    expect(draft.status).toBe(201);
    const invoice = (await body<{ invoice: { id: string } }>(draft)).invoice;
    expect((await admin.json('PATCH', `/api/v1/products/${brace.id}`, { active: false })).status).toBe(200);
    expect((await admin.json('PATCH', `/api/v1/tax-rates/${rate.id}`, { active: false })).status).toBe(200);
    const issued = await desk.json('POST', `/api/v1/invoices/${invoice.id}/issue`);
    expect(issued.status).toBe(200);
    const i = (await body<{ invoice: { legalDetails: string; taxes: unknown[]; total: number } }>(issued))
      .invoice;
    expect(i.total).toBe(3300);
    expect(i.taxes).toEqual([expect.objectContaining({ name: 'VAT standard', tax: 550 })]);
    expect(i.legalDetails).toBe(
      'Riverside Physio Ltd\n12 River Lane\nLondon SE1 9RA\nVAT GB123456789\nRegistered in England, 01234567\nSort code 12-34-56, account 12345678',
    );
    // An archived product is not offered on new lines; the lists still show it, archived.
    const again = await desk.json('POST', '/api/v1/invoices', {
      patientId: anna.id,
      lines: [{ productId: brace.id, quantity: 1 }],
    });
    expect(again.status).toBe(422);
    const products = await body<{ products: { id: string; active: boolean }[] }>(
      await desk.get('/api/v1/products'),
    );
    expect(products.products).toEqual([expect.objectContaining({ id: brace.id, active: false })]);
    const rates = await body<{ taxRates: { active: boolean }[] }>(await doctor.get('/api/v1/tax-rates'));
    expect(rates.taxRates).toEqual([expect.objectContaining({ active: false })]);
  });

  it('refuses to change the currency once an invoice is issued (409 currency_locked), nothing changed', async () => {
    const res = await admin.json('PUT', '/api/v1/billing/settings', { currency: 'EUR', dueDays: 7 });
    expect(res.status).toBe(409);
    expect((await body<Err>(res)).error).toMatchObject({ code: 'currency_locked' });
    const now = await body<{ settings: { currency: string; dueDays: number } }>(
      await admin.get('/api/v1/billing/settings'),
    );
    expect(now.settings).toMatchObject({ currency: 'GBP', dueDays: 30 });
    // The same currency with other changes is fine.
    expect(
      (await admin.json('PUT', '/api/v1/billing/settings', { currency: 'GBP', dueDays: 7 })).status,
    ).toBe(200);
  });

  it('a service’s price with an override; overrides left out are removed; bad input changes nothing', async () => {
    const [p1, p2] = clinic.practitionerIds;
    const url = `/api/v1/services/${clinic.serviceId}/price`;
    const unpriced = await body<{ price: unknown }>(await desk.get(url));
    expect(unpriced.price).toMatchObject({ priced: false, unitPrice: null, overrides: [] });
    const put = await admin.json('PUT', url, {
      unitPrice: 4550,
      noShowFee: 3000,
      lateCancelFee: 1500,
      overrides: [
        { practitionerId: p1, unitPrice: 6000 },
        { practitionerId: p2, unitPrice: 5000 },
      ],
    });
    expect(put.status).toBe(200);
    expect((await body<{ price: { overrides: unknown[] } }>(put)).price.overrides).toHaveLength(2);
    const second = await admin.json('PUT', url, {
      unitPrice: 4550,
      noShowFee: 3000,
      lateCancelFee: null,
      overrides: [{ practitionerId: p2, unitPrice: 5500 }],
    });
    expect((await body<{ price: unknown }>(second)).price).toEqual({
      serviceId: clinic.serviceId,
      priced: true,
      unitPrice: 4550,
      taxRateId: null,
      noShowFee: 3000,
      lateCancelFee: null,
      overrides: [{ practitionerId: p2, unitPrice: 5500 }],
    });
    for (const bad of [
      { unitPrice: -1 },
      { unitPrice: 45.5 },
      { unitPrice: 100, overrides: [{ practitionerId: clinic.adminId, unitPrice: 1 }] },
      {
        unitPrice: 100,
        overrides: [
          { practitionerId: p2, unitPrice: 1 },
          { practitionerId: p2, unitPrice: 2 },
        ],
      },
    ]) {
      const res = await admin.json('PUT', url, bad);
      expect({ bad, status: res.status }).toEqual({ bad, status: 422 });
    }
    expect((await admin.json('PUT', '/api/v1/services/nope/price', { unitPrice: 1 })).status).toBe(404);
    expect((await desk.json('PUT', url, { unitPrice: 1 })).status).toBe(403);
    const after = await body<{ price: { unitPrice: number; overrides: unknown[] } }>(await admin.get(url));
    expect(after.price).toMatchObject({
      unitPrice: 4550,
      overrides: [{ practitionerId: p2, unitPrice: 5500 }],
    });

    // The practitioner's override prices their appointment's line; another practitioner's is the service's.
    const forP2 = await desk.json('POST', '/api/v1/invoices', {
      patientId: anna.id,
      practitionerId: p2,
      lines: [{ serviceId: clinic.serviceId, quantity: 1 }],
    });
    expect((await body<{ invoice: { total: number } }>(forP2)).invoice.total).toBe(5500);
    const forP1 = await desk.json('POST', '/api/v1/invoices', {
      patientId: anna.id,
      practitionerId: p1,
      lines: [{ serviceId: clinic.serviceId, quantity: 1 }],
    });
    expect((await body<{ invoice: { total: number } }>(forP1)).invoice.total).toBe(4550);
  });

  it('audits every change', async () => {
    const r = app.db.reader;
    const rows = await r.db.select().from(r.t.auditLog);
    const actions = new Set(rows.map((a) => a.action));
    for (const a of [
      'billing.update-settings',
      'billing.create-tax-rate',
      'billing.change-tax-rate',
      'billing.archive-tax-rate',
      'billing.create-product',
      'billing.change-product',
      'billing.archive-product',
      'billing.set-prices',
    ])
      expect(actions).toContain(a);
  });
});
