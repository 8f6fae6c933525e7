import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingWorld } from '../../testing/billing-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { addService, bookAppointment, savePractitionerProfile } from '../../testing/factories.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';
import {
  invoiceIdFrom,
  issueOneLineInvoice,
  oneLine,
  openNewDraft,
  staffInvoicesWorld,
} from '../../testing/staff-invoices.ts';
import { until } from '../../testing/wait.ts';

/*
 * Issue 20's staff pages over HTTP, once invoices exist: payments, credit notes, voids; an
 * appointment's "Create invoice" and proposed fees; the register (filters, totals, paging), where a
 * practitioner reads only their own patients'; sending an issued invoice again.
 * (The editor: invoices-editor.test.ts.)
 */
describe.each(bothDialects)('staff invoice register, on %s', (dialect) => {
  let { app, clinic, doctor, desk, anna } = {} as BillingWorld;
  const admin = () => ({ type: 'staff' as const, id: clinic.adminId });
  const deskActor = () => ({ type: 'staff' as const, id: clinic.receptionId });

  beforeAll(async () => {
    ({ app, clinic, doctor, desk, anna } = await staffInvoicesWorld(dialect));
  });
  afterAll(() => app.destroy());

  it('payments: the balance by default, part paid then paid, overpayment kept as credit; the receipt link', async () => {
    const id = await issueOneLineInvoice(desk, anna.id, { l0_description: 'Visit', l0_unitPrice: '80' });
    const page = await desk.text(await desk.get(`/staff/invoices/${id}`));
    expect(page).toMatch(/name="amount"[^>]*value="80.00"|value="80.00"[^>]*name="amount"/);
    expect(page).not.toContain('receipt.pdf');

    const refused = await desk.post(`/staff/invoices/${id}/payments`, { method: 'cash', amount: 'lots' });
    expect(refused.status).toBe(422);
    expect(await desk.text(refused)).toContain('Give the amount, such as 45.00.');
    expect((await app.deps.billing.get(admin(), id)).payments).toEqual([]);

    expect((await desk.post(`/staff/invoices/${id}/payments`, { method: 'cash', amount: '30' })).status).toBe(
      303,
    );
    expect((await app.deps.billing.get(admin(), id)).status).toBe('part_paid');
    await desk.text(await desk.get(`/staff/invoices/${id}`));
    const paid = await desk.post(`/staff/invoices/${id}/payments`, {
      method: 'card',
      amount: '60.00',
      reference: 'T-1',
    });
    expect(paid.status).toBe(303);
    const view = await app.deps.billing.get(admin(), id);
    expect([view.status, view.paid]).toEqual(['paid', 8000]);
    const done = await desk.text(await desk.get(`/staff/invoices/${id}?done=paid`));
    expect(done).toContain(`href="/staff/invoices/${id}/receipt.pdf"`);
    expect(done).toContain('€10.00'); // credit on account
    expect(done).not.toContain('action="/staff/invoices/' + id + '/payments"');

    const register = await desk.text(await desk.get('/staff/invoices'));
    expect(register).toMatch(/data-total="takings">€\d/);
    expect(register).toContain(view.number!);
  });

  it('credit note of chosen lines; void of a draft and of an unpaid issued invoice', async () => {
    const id = await openNewDraft(desk, anna.id);
    await desk.post(`/staff/invoices/${id}/issue`, {
      ...oneLine(1, { l0_description: 'Brace', l0_unitPrice: '20', l0_quantity: '3' }),
      rows: '2',
      l1_description: 'Visit',
      l1_unitPrice: '40',
      l1_quantity: '1',
    });
    await desk.text(await desk.get(`/staff/invoices/${id}`));
    const none = await desk.post(`/staff/invoices/${id}/credit-notes`, { note: 'x' });
    expect(none.status).toBe(422);
    const credited = await desk.post(`/staff/invoices/${id}/credit-notes`, {
      position: ['1'],
      quantity_1: '2',
      note: 'Returned two',
    });
    expect(credited.status).toBe(303);
    const note = await app.deps.billing.get(admin(), invoiceIdFrom(credited));
    expect([note.kind, note.total, note.creditsInvoiceId]).toEqual(['credit_note', -4000, id]);
    const notePage = await desk.text(await desk.get(`/staff/invoices/${note.id}`));
    expect(notePage).toContain(`Credit note ${note.number}`);

    const draft = await openNewDraft(desk, anna.id);
    expect((await desk.post(`/staff/invoices/${draft}/void`)).status).toBe(303);
    expect((await app.deps.billing.get(admin(), draft)).status).toBe('void');
    const again = await desk.post(`/staff/invoices/${draft}/void`);
    expect(again.status).toBe(409);
    expect(await desk.text(again)).toContain('void already');
  });

  it('a completed appointment offers Create invoice (panel and Today); a fee draft shows on Today', async () => {
    const [p1, p2] = clinic.practitionerIds as [string, string];
    const a = await bookAppointment(app, clinic, anna.id, '2026-03-02T09:15:00.000Z', p1);
    const b = await bookAppointment(app, clinic, clinic.patientIds[0]!, '2026-03-02T09:15:00.000Z', p2);
    const booker = { actor: deskActor(), role: 'reception' as const };
    app.clock.set('2026-03-02T09:20:00.000Z');
    await app.deps.appointments.setStatus(booker, a.id, 'completed');
    await app.deps.appointments.setStatus(booker, b.id, 'no_show');
    const panel = await desk.text(await desk.get(`/staff/appointments/${a.id}`, { 'hx-request': 'true' }));
    expect(panel).toContain('Create invoice');
    const today = await desk.text(await desk.get('/staff'));
    expect(today).toContain('Create invoice');
    expect(today).toContain('Proposed fees (1)');
    const made = await desk.post('/staff/invoices', { appointmentId: a.id });
    expect(made.status).toBe(303);
    const inv = await app.deps.billing.get(admin(), invoiceIdFrom(made));
    expect([inv.appointmentId, inv.origin, inv.total]).toEqual([a.id, 'appointment', 6000]);
    // A service without a price: an empty draft for the appointment, the line typed by hand.
    const other = await addService(app, { name: 'Unpriced', durationMin: 10 });
    await savePractitionerProfile(app, p2, 'Dr P2', [clinic.serviceId, other.id], '09:00-12:00, 13:00-17:00');
    const { appointment: c } = await app.deps.appointments.book(booker, {
      serviceId: other.id,
      practitionerId: p2,
      start: '2026-03-02T09:00:00.000Z',
      patientId: anna.id,
      confirmPast: true,
    });
    await app.deps.appointments.setStatus(booker, c.id, 'completed');
    await desk.text(await desk.get('/staff'));
    const unpriced = await desk.post('/staff/invoices', { appointmentId: c.id });
    expect(unpriced.headers.get('location')).toContain('done=unpriced');
    expect(await app.deps.billing.get(admin(), invoiceIdFrom(unpriced))).toMatchObject({
      appointmentId: c.id,
      lines: [],
    });
    // Twice (another tab): the one there is.
    await desk.text(await desk.get('/staff'));
    expect(invoiceIdFrom(await desk.post('/staff/invoices', { appointmentId: a.id }))).toBe(inv.id);
    const after = await desk.text(await desk.get(`/staff/appointments/${a.id}`, { 'hx-request': 'true' }));
    expect(after).not.toContain('Create invoice');
    expect(after).toContain(`href="/staff/invoices/${inv.id}"`);
  });

  it('the register filters and pages; a practitioner reads only their own patients’ and changes nothing', async () => {
    const paid = await desk.text(await desk.get('/staff/invoices?status=paid'));
    expect(paid).toContain('invoice-paid');
    expect(paid).not.toContain('invoice-draft');
    const outstanding = await desk.text(await desk.get('/staff/invoices?outstanding=1'));
    expect(outstanding).not.toContain('invoice-paid');
    const nobody = await desk.text(await desk.get('/staff/invoices?q=Zzyzx'));
    expect(nobody).toContain('0 invoices');
    const bad = await desk.get('/staff/invoices?from=yesterday');
    expect(bad.status).toBe(422);
    expect(await desk.text(bad)).toContain('A date as YYYY-MM-DD.');

    // Anna's invoices were made by hand (no practitioner) and she has not seen p1 (the
    // appointment above was p1's, so that one invoice is theirs).
    const own = await doctor.text(await doctor.get('/staff/invoices'));
    expect(own).not.toContain('New invoice');
    const mine = await app.deps.billing.list(admin(), { patientId: anna.id });
    const other = mine.find((i) => i.practitionerId === null)!;
    expect((await app.deps.appointments.hasSeen(clinic.practitionerIds[0]!, anna.id)) ? 200 : 404).toBe(
      (await doctor.get(`/staff/invoices/${other.id}`)).status,
    );
    await doctor.text(await doctor.get('/staff/invoices'));
    expect((await doctor.post(`/staff/invoices/${other.id}/void`)).status).toBe(403);
    expect((await doctor.post('/staff/invoices', { patientId: anna.id })).status).toBe(403);
  });
  it('a proposed fee keeps its kind through the editor and the API; no other kind can be said', async () => {
    // Later today (a no-show may be marked at any time; the clock stays, so the sessions do).
    const a = await bookAppointment(app, clinic, anna.id, '2026-03-02T11:00:00.000Z');
    await app.deps.appointments.setStatus({ actor: deskActor(), role: 'reception' }, a.id, 'no_show');
    const [fee] = await app.deps.billing.ofAppointments(admin(), [a.id]);
    const page = await desk.text(await desk.get(`/staff/invoices/${fee!.id}`));
    expect(page).toContain(`value="fee:${clinic.serviceId}"`);
    const saved = await desk.post(`/staff/invoices/${fee!.id}`, {
      ...oneLine(1, { l0_item: `fee:${clinic.serviceId}`, l0_description: 'No-show', l0_unitPrice: '20' }),
      l0_taxRateId: 'none',
    });
    expect(saved.status).toBe(303);
    const kinds = async () =>
      (await app.deps.billing.get(admin(), fee!.id)).lines.map((l) => [l.kind, l.gross]);
    expect(await kinds()).toEqual([['fee', 2000]]);
    const patch = (lines: unknown[]) => desk.json('PATCH', `/api/v1/invoices/${fee!.id}`, { lines });
    const line = { serviceId: clinic.serviceId, quantity: 1, unitPrice: 1500 };
    expect((await patch([{ ...line, kind: 'fee' }])).status).toBe(200);
    expect(await kinds()).toEqual([['fee', 1500]]);
    for (const forged of [
      { ...line, kind: 'service' },
      { ...line, kind: 'text' },
      { quantity: 1, unitPrice: 9, kind: 'fee' },
    ])
      expect((await patch([forged])).status).toBe(422);
    expect(await kinds()).toEqual([['fee', 1500]]);
  });

  it('Send emails an issued invoice to the payer again (htmx or not); a payer without email is told 409', async () => {
    const id = await issueOneLineInvoice(desk, anna.id, { l0_description: 'Recall', l0_unitPrice: '25' });
    const page = await desk.text(await desk.get(`/staff/invoices/${id}`));
    expect(page).toContain(`action="/staff/invoices/${id}/send"`);
    const { number } = await app.deps.billing.get(admin(), id);
    const mails = () => app.mailsTo('anna@example.org').filter((m) => m.subject?.includes(number!));
    await until('the issue email', async () => mails().length === 1);
    const sent = await desk.post(`/staff/invoices/${id}/send`);
    expect(sent.headers.get('location')).toContain('done=sent');
    expect(await desk.text(await desk.get(`/staff/invoices/${id}?done=sent`))).toContain(
      'on its way to the payer',
    );
    const htmx = await desk.post(`/staff/invoices/${id}/send`, {}, { 'hx-request': 'true' });
    expect(htmx.status).toBe(200);
    expect(await desk.text(htmx)).toMatch(/id="invoice-send"[\s\S]*on its way to the payer/);
    await until('two more emails', async () => mails().length === 3);

    const cleo = (await patientOnRecord(app, { firstName: 'Cleo', email: '', phone: '+33612345670' })).id;
    const other = await issueOneLineInvoice(desk, cleo, { l0_description: 'Visit', l0_unitPrice: '9' });
    await desk.text(await desk.get(`/staff/invoices/${other}`));
    const refused = await desk.post(`/staff/invoices/${other}/send`);
    expect(refused.status).toBe(409);
    expect(await desk.text(refused)).toContain('no email address on record');
    const refusedHtmx = await desk.post(`/staff/invoices/${other}/send`, {}, { 'hx-request': 'true' });
    expect(await desk.text(refusedHtmx)).toMatch(/id="invoice-send"[\s\S]*no email address on record/);
    await doctor.text(await doctor.get('/staff/invoices'));
    expect((await doctor.post(`/staff/invoices/${id}/send`)).status).toBe(403);
  });
});
