import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { signedInAs } from '../../testing/signed-in.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from '../../testing/two-patients-world.ts';

/*
 * Settings › Billing's forms over HTTP (the browser test walks the happy path): each refusal —
 * an amount or rate that cannot be read, an unknown currency, the currency after an invoice was
 * issued, archiving the default rate — shows the form again with what was typed and a clear
 * error, and changes nothing; the front desk may not post any of them.
 */
describe.each(bothDialects)('billing settings pages, on %s', (dialect) => {
  let { app, clinic, desk } = {} as TwoPatientsWorld;
  let admin: TestBrowser;
  const adminActor = () => ({ type: 'staff' as const, id: clinic.adminId });
  const list = () => app.deps.billing.priceList(adminActor());
  const settings = {
    currency: 'EUR',
    dueDays: '14',
    onCompletion: 'button',
    defaultTaxRateId: '',
    legalName: 'Clinique du Parc SARL',
    legalAddress: '1 rue du Parc\n75001 Paris',
    taxNumber: 'TVA FR 12 345678901',
    bankDetails: 'IBAN FR76 3000 6000 0112 3456 7890 189',
    legalDetails: 'SIRET 123 456 789 00012',
    footer: 'Merci',
  };

  beforeAll(async () => {
    ({ app, clinic, desk } = await twoPatientsWorld(dialect));
    admin = await signedInAs(app, 'ada@clinic.example');
  });
  afterAll(() => app.destroy());

  const open = async (browser: TestBrowser, path: string) => browser.text(await browser.get(path));
  const post = async (path: string, fields: Record<string, string>) => {
    await open(admin, '/staff/settings/billing');
    const res = await admin.post(path, fields);
    return { status: res.status, location: res.headers.get('location'), page: await admin.text(res) };
  };

  it('saves the settings; an unknown currency or unreadable days come back with their errors', async () => {
    const saved = await post('/staff/settings/billing', settings);
    expect(saved).toMatchObject({ status: 303, location: '/staff/settings/billing?notice=saved' });
    expect((await list()).settings).toMatchObject({ legalName: 'Clinique du Parc SARL', dueDays: 14 });

    const bad = await post('/staff/settings/billing', { ...settings, currency: 'EUX', dueDays: 'two weeks' });
    expect(bad.status).toBe(422);
    expect(bad.page).toContain('Payment terms: a whole number of days.');
    expect(bad.page).toContain('value="EUX"');
    expect(bad.page).toContain('value="two weeks"');
    const unknown = await post('/staff/settings/billing', {
      ...settings,
      currency: 'EUX',
      legalName: 'Changed',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.page).toContain('An ISO 4217 currency code, such as EUR or JPY.');
    expect((await list()).settings).toMatchObject({ currency: 'EUR', legalName: 'Clinique du Parc SARL' });
  });

  it('reads rates and amounts as typed, refusing what cannot be read', async () => {
    for (const [percent, bp] of [
      ['20', 2000],
      ['5,5', 550],
      ['2.1 %', 210],
    ] as const) {
      const res = await post('/staff/settings/billing/tax-rates', {
        name: `R${percent}`,
        percent,
        inclusive: 'no',
      });
      expect(res.status).toBe(303);
      expect((await list()).taxRates.find((r) => r.name === `R${percent}`)?.basisPoints).toBe(bp);
    }
    const before = (await list()).taxRates.length;
    for (const percent of ['101', 'twenty', '5.555', ''])
      expect(
        (await post('/staff/settings/billing/tax-rates', { name: 'X', percent, inclusive: 'no' })).status,
      ).toBe(422);
    expect((await list()).taxRates).toHaveLength(before);

    for (const [price, minor] of [
      ['45.50', 4550],
      ['45,5', 4550],
      ['1 200', 120000],
      ['0', 0],
    ] as const) {
      const res = await post('/staff/settings/billing/products', {
        name: `P ${price}`,
        unitPrice: price,
        taxRateId: '',
      });
      expect(res.status).toBe(303);
      expect((await list()).products.find((p) => p.name === `P ${price}`)?.unitPrice).toBe(minor);
    }
    for (const price of ['45.505', '-3', '4e2', '€45', '1,200.50']) {
      const res = await post('/staff/settings/billing/products', {
        name: 'Brace',
        unitPrice: price,
        taxRateId: '',
      });
      expect({ price, status: res.status }).toEqual({ price, status: 422 });
      expect(res.page).toContain(`value="${price}"`);
    }
    expect((await list()).products.map((p) => p.name)).not.toContain('Brace');
  });

  it('a service price with a practitioner’s own; a bad override changes nothing', async () => {
    const [p1] = clinic.practitionerIds;
    const path = `/staff/settings/services/${clinic.serviceId}/price`;
    /** The price form with no tax rate and no late-cancellation fee, P1's own price `override`. */
    const savePrice = (unitPrice: string, noShowFee: string, override: string) =>
      admin.post(path, {
        unitPrice,
        taxRateId: '',
        noShowFee,
        lateCancelFee: '',
        [`override-${p1}`]: override,
      });
    await open(admin, path);
    const ok = await savePrice('60', '30', '75.25');
    expect(ok.status).toBe(303);
    const bad = await savePrice('65', '', 'lots');
    expect(bad.status).toBe(422);
    expect(await admin.text(bad)).toContain('Write an amount in EUR such as 45.50.');
    const rows = (await list()).servicePrices.filter((r) => r.serviceId === clinic.serviceId);
    expect(rows.map((r) => [r.practitionerId, r.unitPrice, r.noShowFee, r.lateCancelFee]).sort()).toEqual(
      [
        ['', 6000, 3000, null],
        [p1, 7525, null, null],
      ].sort(),
    );
  });

  it('refuses archiving the default rate and changing the currency once an invoice is issued', async () => {
    const rate = (await list()).taxRates[0]!;
    await post('/staff/settings/billing', { ...settings, defaultTaxRateId: rate.id });
    await open(admin, `/staff/settings/billing/tax-rates/${rate.id}`);
    const archive = await admin.post(`/staff/settings/billing/tax-rates/${rate.id}/archive`);
    expect(archive.status).toBe(409);
    expect(await admin.text(archive)).toContain('This is the default tax rate');
    expect((await list()).taxRates.find((r) => r.id === rate.id)?.active).toBe(true);

    const invoice = await app.deps.billing.create(adminActor(), {
      patientId: clinic.patientIds[0],
      lines: [{ description: 'Visit', quantity: 1, unitPrice: 5000 }],
    });
    await app.deps.billing.issue(adminActor(), invoice.id);
    const locked = await post('/staff/settings/billing', { ...settings, currency: 'CHF' });
    expect(locked.status).toBe(409);
    expect(locked.page).toContain('The currency stays EUR: invoices have been issued in it');
    expect((await list()).settings.currency).toBe('EUR');
  });

  it('is the admins’ only: the front desk gets 403 from every form', async () => {
    await open(desk, '/staff');
    const rate = (await list()).taxRates[0]!;
    for (const path of [
      '/staff/settings/billing',
      '/staff/settings/billing/tax-rates',
      `/staff/settings/billing/tax-rates/${rate.id}`,
      `/staff/settings/billing/tax-rates/${rate.id}/archive`,
      '/staff/settings/billing/products',
      `/staff/settings/services/${clinic.serviceId}/price`,
    ])
      expect({
        path,
        status: (await desk.post(path, { name: 'x', percent: '1', unitPrice: '1' })).status,
      }).toEqual({
        path,
        status: 403,
      });
  });
});
