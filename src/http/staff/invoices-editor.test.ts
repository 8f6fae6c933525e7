import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingWorld } from '../../testing/billing-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { newDraftInvoice, oneLine, openNewDraft, staffInvoicesWorld } from '../../testing/staff-invoices.ts';

/*
 * Issue 20's staff pages over HTTP, the invoice editor: a draft made from the chart and edited
 * (totals from the domain; bad input re-rendered, nothing changed), its payer, issued (then
 * read-only: no page changes it), a second issue from another tab said kindly.
 * (Payments, credit notes, voids and the register: invoices-register.test.ts.)
 */
describe.each(bothDialects)('staff invoice editor, on %s', (dialect) => {
  let { app, clinic, desk, vat, anna } = {} as BillingWorld;
  const admin = () => ({ type: 'staff' as const, id: clinic.adminId });

  beforeAll(async () => {
    ({ app, clinic, desk, vat, anna } = await staffInvoicesWorld(dialect));
  });
  afterAll(() => app.destroy());

  it('the chart offers New invoice; the draft is edited, its totals from the domain, bad input changes nothing', async () => {
    const chart = await desk.text(await desk.get(`/staff/patients/${anna.id}`));
    expect(chart).toContain('id="h-invoices"');
    expect(chart).toContain('New invoice');
    const id = await newDraftInvoice(desk, anna.id);
    const page = await desk.text(await desk.get(`/staff/invoices/${id}?done=created`));
    expect(page).toContain('id="invoice-editor"');
    expect(page).toContain('A draft invoice was made');

    // Bad input: an amount that is not one, a zero quantity → 422, the form as typed, nothing saved.
    const bad = await desk.post(
      `/staff/invoices/${id}`,
      oneLine(1, { l0_description: 'Consultation', l0_unitPrice: 'sixty', l0_quantity: '2' }),
    );
    expect(bad.status).toBe(422);
    const badPage = await desk.text(bad);
    expect(badPage).toContain('An amount such as 45.00.');
    expect(badPage).toContain('value="sixty"');
    expect((await app.deps.billing.get(admin(), id)).lines).toEqual([]);
    const zero = await desk.post(
      `/staff/invoices/${id}`,
      oneLine(1, { l0_description: 'Consultation', l0_unitPrice: '60', l0_quantity: '0' }),
    );
    expect(zero.status).toBe(422);
    expect(await desk.text(zero)).toContain('At least 1.');
    expect((await app.deps.billing.get(admin(), id)).version).toBe(1);

    // A good line (htmx: the page answers, its editor redrawn in place) → totals by the domain.
    const ok = await desk.post(
      `/staff/invoices/${id}`,
      oneLine(1, { l0_description: 'Consultation', l0_unitPrice: '60.00', l0_taxRateId: vat }),
      { 'hx-request': 'true' },
    );
    expect(ok.status).toBe(200);
    const okPage = await desk.text(ok);
    expect(okPage).toContain('€72.00');
    expect(okPage).toContain('Saved.');
    // The service at its price, added in the new row (no JavaScript: a redirect back).
    const withService = await desk.post(`/staff/invoices/${id}`, {
      ...oneLine(2, { l0_description: 'Consultation', l0_unitPrice: '60.00', l0_taxRateId: vat }),
      rows: '2',
      l1_item: `service:${clinic.serviceId}`,
      l1_quantity: '1',
      l1_taxRateId: 'none',
    });
    expect(withService.status).toBe(303);
    const view = await app.deps.billing.get(admin(), id);
    expect(view.lines.map((l) => [l.kind, l.gross])).toEqual([
      ['text', 7200],
      ['service', 6000],
    ]);
    expect(view.total).toBe(13200);
    // A stale tab's save is refused kindly, nothing changed.
    const stale = await desk.post(
      `/staff/invoices/${id}`,
      oneLine(1, { l0_description: 'X', l0_unitPrice: '1' }),
    );
    expect(stale.status).toBe(409);
    expect(await desk.text(stale)).toContain('changed meanwhile');
    expect((await app.deps.billing.get(admin(), id)).total).toBe(13200);
  });

  it('the payer: a third party needs a name and an address (refused under the field, nothing saved)', async () => {
    const id = await openNewDraft(desk, anna.id);
    const line = { l0_description: 'Report for the insurer', l0_unitPrice: '30' };
    const saveWithAddress = (payerAddress: string) =>
      desk.post(`/staff/invoices/${id}`, {
        ...oneLine(1, line),
        payerKind: 'third_party',
        payerName: 'Acme Insurance',
        payerAddress,
      });
    const refused = await saveWithAddress('');
    expect(refused.status).toBe(422);
    const page = await desk.text(refused);
    expect(page).toContain('id="f-payerAddress-error"');
    expect(page).toContain('value="Acme Insurance"');
    expect((await app.deps.billing.get(admin(), id)).version).toBe(1);
    const saved = await saveWithAddress('1 Policy Road\nLyon');
    expect(saved.status).toBe(303);
    expect((await app.deps.billing.get(admin(), id)).payer).toMatchObject({
      kind: 'third_party',
      name: 'Acme Insurance',
      address: '1 Policy Road\nLyon',
    });
  });

  it('the payer: a guardian of the patient, chosen from their guardians', async () => {
    const child = await app.deps.patientFamily.addDependent(
      { type: 'patient', id: anna.id },
      { firstName: 'Lia', lastName: 'Lund', dateOfBirth: '2018-04-04' },
    );
    const id = await newDraftInvoice(desk, child.id);
    const page = await desk.text(await desk.get(`/staff/invoices/${id}`));
    expect(page).toContain('A guardian');
    expect(page).toContain(`<option value="${anna.id}"`);
    const saved = await desk.post(`/staff/invoices/${id}`, {
      ...oneLine(1, { l0_description: 'Check-up', l0_unitPrice: '35' }),
      payerKind: 'guardian',
      payerPatientId: anna.id,
    });
    expect(saved.status).toBe(303);
    expect((await app.deps.billing.get(admin(), id)).payer).toMatchObject({
      kind: 'guardian',
      patientId: anna.id,
      name: 'Anna Lund',
    });
    // Someone who is not the child's guardian: refused under the field, nothing saved.
    await desk.text(await desk.get(`/staff/invoices/${id}`));
    const refused = await desk.post(`/staff/invoices/${id}`, {
      ...oneLine(2, { l0_description: 'Check-up', l0_unitPrice: '35' }),
      payerKind: 'guardian',
      payerPatientId: clinic.patientIds[0]!,
    });
    expect(refused.status).toBe(422);
    expect(await desk.text(refused)).toContain('id="f-payerPatientId-error"');
    expect((await app.deps.billing.get(admin(), id)).version).toBe(2);
  });

  it('issued: read-only with its number; a second issue (another tab) is said kindly; no page edits it', async () => {
    const id = await openNewDraft(desk, anna.id);
    const issued = await desk.post(
      `/staff/invoices/${id}/issue`,
      oneLine(1, { l0_description: 'Massage', l0_unitPrice: '50' }),
    );
    expect(issued.status).toBe(303);
    const page = await desk.text(await desk.get(`/staff/invoices/${id}?done=issued`));
    const number = (await app.deps.billing.get(admin(), id)).number!;
    expect(number).toMatch(/^INV-2026-\d{5}$/);
    expect(page).toContain(number);
    expect(page).not.toContain('id="invoice-editor"');
    expect(page).toContain(`href="/staff/invoices/${id}/invoice.pdf"`);
    // The due date written like the other dates on the page (it read 2026-04-01 beside 2 Mar 2026).
    expect(page).toMatch(/<dt>Due<\/dt><dd>1 Apr 2026<\/dd>/);

    const again = await desk.post(`/staff/invoices/${id}/issue`);
    expect(again.status).toBe(409);
    expect(await desk.text(again)).toContain('already issued (perhaps in another tab)');
    const edit = await desk.post(
      `/staff/invoices/${id}`,
      oneLine(2, { l0_description: 'Free', l0_unitPrice: '0' }),
    );
    expect(edit.status).toBe(409);
    const htmxEdit = await desk.post(
      `/staff/invoices/${id}`,
      oneLine(2, { l0_description: 'Free', l0_unitPrice: '0' }),
      { 'hx-request': 'true' },
    );
    expect(htmxEdit.headers.get('hx-redirect')).toContain('already-issued');
    const after = await app.deps.billing.get(admin(), id);
    expect([after.number, after.total, after.lines.length, after.status]).toEqual([
      number,
      5000,
      1,
      'issued',
    ]);
  });

  it('two tabs issue the same draft at once: one number, the other said kindly; Save and issue on it changes nothing', async () => {
    const id = await openNewDraft(desk, anna.id);
    await desk.post(`/staff/invoices/${id}`, oneLine(1, { l0_description: 'Taping', l0_unitPrice: '15' }));
    await desk.text(await desk.get(`/staff/invoices/${id}`));
    const answers = await Promise.all([
      desk.post(`/staff/invoices/${id}/issue`),
      desk.post(`/staff/invoices/${id}/issue`),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409]);
    const issued = await app.deps.billing.get(admin(), id);
    const numbers = (await app.deps.billing.list(admin(), { limit: 500 })).filter(
      (i) => i.number === issued.number,
    );
    expect(numbers).toHaveLength(1);
    const late = await desk.post(
      `/staff/invoices/${id}/issue`,
      oneLine(issued.version, { l0_description: 'Taping', l0_unitPrice: '1' }),
    );
    expect(late.status).toBe(409);
    expect(await app.deps.billing.get(admin(), id)).toMatchObject({ total: 1500, number: issued.number });
  });
});
