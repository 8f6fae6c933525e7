import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { draftInvoice, issueInvoice } from '../../testing/invoices-api.ts';
import { pdfText } from '../../testing/pdf-text.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from '../../testing/two-patients-world.ts';
import { until } from '../../testing/wait.ts';

interface Invoice {
  id: string;
  number: string | null;
}

/*
 * Issue 20, invoices emailed: issuing sends the invoice to its payer through the dispatcher, the
 * PDF (made by the send job) attached — read back from a real SMTP sink, it holds the number and
 * the total; "Send" sends it again; a payer without an email gets nothing, and that is recorded
 * (409 payer_no_email on Send); a draft is not sent; only billing.manage may send.
 */
describe.each(bothDialects)('invoices by email, on %s', (dialect) => {
  let { app, clinic, doctor, desk, anna } = {} as TwoPatientsWorld;
  let cleo: string;

  beforeAll(async () => {
    ({ app, clinic, doctor, desk, anna } = await twoPatientsWorld(dialect));
    // On record without an email (a phone only).
    cleo = (await patientOnRecord(app, { firstName: 'Cleo', email: '', phone: '+33612345678' })).id;
    await app.deps.billing.updateSettings(
      { type: 'staff', id: clinic.adminId },
      { currency: 'EUR', dueDays: 14, footer: 'Bank: FR76 0000' },
    );
  });
  afterAll(() => app.destroy());

  const issued = async (patientId: string, unitPrice: number, extra: Record<string, unknown> = {}) => {
    const draft = await draftInvoice(desk, {
      patientId,
      lines: [{ description: 'Physio session', quantity: 1, unitPrice }],
      ...extra,
    });
    return issueInvoice<Invoice>(desk, draft.id);
  };
  const emailsAbout = (number: string) =>
    app.mailsTo('anna@example.org').filter((m) => m.subject?.includes(number));
  const emailAudits = async (id: string) => {
    const r = app.db.reader;
    return (await r.db.select().from(r.t.auditLog)).filter(
      (a) => a.action === 'invoice.email' && a.entityId === id,
    );
  };

  it('issuing emails the invoice to the payer with its PDF; Send sends it again', async () => {
    const inv = await issued(anna.id, 8550);
    const [mail] = await until('the invoice email', async () => {
      const m = emailsAbout(inv.number!);
      return m.length === 1 && m;
    });
    expect(mail!.subject).toBe(`Riverside Physio: invoice ${inv.number}`);
    expect(mail!.text).toContain('Hello Anna Lund');
    expect(mail!.text).toContain('€85.50');
    expect(mail!.text).toContain('/app/#/invoices');
    expect(mail!.attachments).toHaveLength(1);
    const pdf = mail!.attachments[0]!;
    expect(pdf.filename).toBe(`${inv.number}.pdf`);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf.content);
    expect(text).toContain(`Invoice ${inv.number}`);
    expect(text).toContain('Physio session');
    expect(text).toContain('€85.50');
    expect(text).toContain('Bank: FR76 0000');
    expect((await emailAudits(inv.id)).map((a) => a.details)).toEqual([{ queued: 1 }]);

    const again = await desk.json('POST', `/api/v1/invoices/${inv.id}/send`);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ queued: 1 });
    await until('the second email', async () => emailsAbout(inv.number!).length === 2);
    // A practitioner may read invoices but not send them.
    expect((await doctor.json('POST', `/api/v1/invoices/${inv.id}/send`)).status).toBe(403);
  });

  it('a dependant’s invoice goes to their guardian’s email, greeting the guardian', async () => {
    const leo = await app.deps.patientFamily.addDependent(
      { type: 'patient', id: anna.id },
      { firstName: 'Leo', lastName: 'Lund', dateOfBirth: '2019-04-02' },
    );
    const inv = await issued(leo.id, 2000);
    const [mail] = await until('the guardian’s email', async () => {
      const m = emailsAbout(inv.number!);
      return m.length === 1 && m;
    });
    expect(mail!.text).toContain('Hello Anna Lund');
    const text = pdfText(mail!.attachments[0]!.content);
    expect(text).toContain('Leo Lund'); // billed to the patient, as printed
    expect(text).toContain('€20.00');
  });

  it('a payer without an email gets nothing, recorded; a draft is not sent', async () => {
    const cleos = await issued(cleo, 3000);
    const thirdParty = await issued(anna.id, 4000, {
      payer: { kind: 'third_party', name: 'Mutuelle Santé', address: '1 rue de la Paix, Paris' },
    });
    expect((await emailAudits(cleos.id)).map((a) => a.details)).toEqual([
      { queued: 0, reason: 'the payer has no email address' },
    ]);
    expect((await emailAudits(thirdParty.id)).map((a) => a.details)).toEqual([
      { queued: 0, reason: 'a third-party payer has no email' },
    ]);
    const send = await desk.json('POST', `/api/v1/invoices/${cleos.id}/send`);
    expect(send.status).toBe(409);
    expect(((await send.json()) as { error: { code: string } }).error.code).toBe('payer_no_email');
    expect(await emailAudits(cleos.id)).toHaveLength(2); // the refused Send is recorded too

    const made = await desk.json('POST', '/api/v1/invoices', {
      patientId: anna.id,
      lines: [{ description: 'Draft only', quantity: 1, unitPrice: 100 }],
    });
    const { invoice: draft } = (await made.json()) as { invoice: Invoice };
    const refused = await desk.json('POST', `/api/v1/invoices/${draft.id}/send`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invoice_not_issued');
    expect(await emailAudits(draft.id)).toEqual([]);
    // Nothing reached the sink for them (Anna's third-party invoice is not hers to receive).
    expect(emailsAbout(thirdParty.number!)).toEqual([]);
    expect(app.smtp.messages.some((m) => m.subject?.includes(cleos.number!))).toBe(false);
  });
  it('a credit note (by Void or by Credit note) is emailed to the payer like an invoice', async () => {
    const voided = await issued(anna.id, 4200);
    expect((await desk.json('POST', `/api/v1/invoices/${voided.id}/void`)).status).toBe(200);
    const credited = await issued(anna.id, 6000);
    const res = await desk.json('POST', `/api/v1/invoices/${credited.id}/credit-notes`, {});
    expect(res.status).toBe(201);
    const notes = await until('both credit notes’ emails', async () => {
      const m = app.mailsTo('anna@example.org').filter((x) => x.subject?.includes('credit note'));
      return m.length === 2 && m;
    });
    for (const [mail, of] of [
      [notes.find((m) => m.text?.includes('-€42.00')), voided],
      [notes.find((m) => m.text?.includes('-€60.00')), credited],
    ] as const) {
      expect(mail?.subject).toMatch(/^Riverside Physio: credit note INV-2026-\d{5}$/);
      const text = pdfText(mail!.attachments[0]!.content);
      expect(text).toContain('Credit note');
      expect(text).toContain(of.number!);
    }
  });
});
