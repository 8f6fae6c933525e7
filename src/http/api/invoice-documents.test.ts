import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillingWorld, billingWorld } from '../../testing/billing-world.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { draftInvoice, issueInvoice } from '../../testing/invoices-api.ts';
import { pdfText } from '../../testing/pdf-text.ts';

interface Invoice {
  id: string;
  number: string | null;
  total: number;
  paid: number;
  balance: number;
}

/*
 * Issue 20, invoices and receipts as PDFs: read back, an invoice holds the clinic's legal details,
 * the payer, each line, the tax per rate, the totals, the payments and the balance; a receipt the
 * payments and the balance; a draft prints marked DRAFT and has no receipt; a credit note prints as
 * one; names in Greek, Cyrillic and accented Latin print as written. Reception may download any (API and staff pages), a
 * practitioner only their own patients', a patient only their family's issued ones — anything else
 * is 404. Every file is an audited read.
 */
describe.each(bothDialects)('invoice PDFs, on %s', (dialect) => {
  let { app, clinic, doctor, desk, anna, ben, vat } = {} as BillingWorld;

  beforeAll(async () => {
    ({ app, clinic, doctor, desk, anna, ben, vat } = await billingWorld(dialect));
  });
  afterAll(() => app.destroy());

  const draft = (body: Record<string, unknown>) => draftInvoice<Invoice>(desk, body);
  const issue = (id: string) => issueInvoice<Invoice>(desk, id);
  const simple = async (patientId: string, extra: Record<string, unknown> = {}) =>
    issue(
      (await draft({ patientId, lines: [{ description: 'Visit', quantity: 1, unitPrice: 4000 }], ...extra }))
        .id,
    );
  const pdfOf = async (browser: TestBrowser, path: string) => {
    const res = await browser.get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
    return { text: pdfText(bytes), disposition: res.headers.get('content-disposition') };
  };
  const pdfReads = async (id: string) => {
    const r = app.db.reader;
    return (await r.db.select().from(r.t.auditLog)).filter(
      (a) => a.action === 'invoice.pdf' && a.entityId === id,
    );
  };

  it('an invoice and its receipt hold the totals, tax per rate, payments and balance', async () => {
    const d = await draft({
      patientId: anna.id,
      lines: [
        {
          description: 'Consultation',
          quantity: 1,
          unitPrice: 6000,
          taxRateId: vat,
          discountBasisPoints: 1000,
        },
        { description: 'Knee brace', quantity: 2, unitPrice: 1500, taxRateId: null },
      ],
    });
    const inv = await issue(d.id);
    // 6000 − 10 % = 5400 + 20 % VAT 1080 = 6480; + 2 × 1500 = 9480.
    expect(inv.total).toBe(9480);
    const paid = await desk.json('POST', `/api/v1/invoices/${inv.id}/payments`, {
      method: 'cash',
      amount: 5000,
      reference: 'desk till',
    });
    expect(paid.status).toBe(200);

    const { text, disposition } = await pdfOf(desk, `/api/v1/invoices/${inv.id}/pdf`);
    expect(disposition).toBe(`inline; filename="${inv.number}.pdf"`);
    expect(inv.number).toMatch(/^INV-2026-\d{5}$/);
    for (const part of [
      `Invoice ${inv.number}`,
      'Clinic SARL, SIRET 123 456 789',
      'Anna Lund',
      'Consultation',
      'Knee brace',
      '10%',
      'VAT 20% on €54.00',
      '€10.80',
      '€64.80',
      '€94.80',
      'Due date',
      'desk till',
      '€50.00',
      'Balance due',
      '€44.80',
      'Thank you for your visit',
    ])
      expect(text).toContain(part);
    expect(text).not.toContain('DRAFT');

    const receipt = await pdfOf(desk, `/api/v1/invoices/${inv.id}/pdf?kind=receipt`);
    expect(receipt.disposition).toBe(`inline; filename="${inv.number}-receipt.pdf"`);
    for (const part of [
      'Receipt',
      `For invoice`,
      inv.number!,
      'Received with thanks',
      'Cash',
      '€50.00',
      '€94.80',
      '€44.80',
    ])
      expect(receipt.text).toContain(part);
    expect(receipt.text).not.toContain(`Receipt ${inv.number}`);
    expect(receipt.text).not.toContain('Knee brace');

    // The staff pages' links give the same files; every one is an audited read.
    expect((await pdfOf(desk, `/staff/invoices/${inv.id}/invoice.pdf`)).text).toContain('€94.80');
    expect((await pdfOf(desk, `/staff/invoices/${inv.id}/receipt.pdf`)).text).toContain(
      'Received with thanks',
    );
    const reads = await pdfReads(inv.id);
    expect(reads.map((a) => (a.details as { kind: string }).kind).sort()).toEqual([
      'invoice',
      'invoice',
      'receipt',
      'receipt',
    ]);
    expect((await desk.get(`/api/v1/invoices/${inv.id}/pdf?kind=letter`)).status).toBe(422);
  });

  it('a draft prints marked DRAFT and has no receipt; a credit note prints as one', async () => {
    const d = await draft({
      patientId: anna.id,
      lines: [{ description: 'Taping', quantity: 1, unitPrice: 2500 }],
    });
    const { text, disposition } = await pdfOf(desk, `/staff/invoices/${d.id}/invoice.pdf`);
    expect(text).toContain('DRAFT');
    expect(text).toContain('€25.00');
    expect(disposition).toBe(`inline; filename="draft-${d.id}.pdf"`);
    const noReceipt = await desk.get(`/api/v1/invoices/${d.id}/pdf?kind=receipt`);
    expect(noReceipt.status).toBe(409);
    expect(((await noReceipt.json()) as { error: { code: string } }).error.code).toBe('invoice_not_issued');
    // Nor does the patient see a draft.
    expect((await anna.browser.get(`/api/v1/me/invoices/${d.id}/pdf`)).status).toBe(404);

    const inv = await issue(d.id);
    const voided = await desk.json('POST', `/api/v1/invoices/${inv.id}/void`);
    expect(voided.status).toBe(200);
    const notes = (await (await desk.get(`/api/v1/invoices?patientId=${anna.id}`)).json()) as {
      invoices: (Invoice & { kind: string; creditsInvoiceId: string | null })[];
    };
    const credit = notes.invoices.find((i) => i.creditsInvoiceId === inv.id)!;
    const note = await pdfOf(desk, `/api/v1/invoices/${credit.id}/pdf`);
    expect(note.text).toContain(`Credit note ${credit.number}`);
    expect(note.text).toContain(`Credits invoice`);
    expect(note.text).toContain(inv.number!);
    expect(note.text).toContain('-€25.00');
    expect((await pdfOf(desk, `/api/v1/invoices/${inv.id}/pdf`)).text).toContain('VOID');
  });

  it('names in Greek, Cyrillic and accented Latin print as written (CJK, which the font lacks, as ?)', async () => {
    const inv = await issue(
      (
        await draft({
          patientId: ben.id,
          payer: {
            kind: 'third_party',
            name: 'Ελένη Παπαδοπούλου',
            address: 'ul. Piękna 1\n00-001 Warszawa',
          },
          lines: [
            { description: 'Консультация — Иван Łukasz Zoë Ødegård 王芳', quantity: 1, unitPrice: 4000 },
          ],
        })
      ).id,
    );
    const res = await desk.get(`/api/v1/invoices/${inv.id}/pdf`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = pdfText(bytes);
    expect(text).toContain('Ελένη Παπαδοπούλου');
    expect(text).toContain('ul. Piękna 1');
    // The line wraps in its column: read across the breaks.
    expect(text.replace(/\n/g, ' ')).toContain('Консультация — Иван Łukasz Zoë Ødegård ??');
    expect(text).toContain('Ben Ortiz'); // the patient, named when someone else pays
    // The fonts are embedded as subsets of the glyphs drawn, not whole (~740 KB each).
    expect(bytes.length).toBeLessThan(60_000);
  });

  it('a patient downloads their own issued invoices only; others are 404', async () => {
    const annas = await simple(anna.id);
    const bens = await simple(ben.id);
    const { text, disposition } = await pdfOf(anna.browser, `/api/v1/me/invoices/${annas.id}/pdf`);
    expect(text).toContain('€40.00');
    expect(disposition).toBe(`inline; filename="${annas.number}.pdf"`);
    expect((await pdfOf(anna.browser, `/api/v1/me/invoices/${annas.id}/pdf?kind=receipt`)).text).toContain(
      'No payment received yet.',
    );
    expect((await anna.browser.get(`/api/v1/me/invoices/${bens.id}/pdf`)).status).toBe(404);
    expect((await ben.browser.get(`/api/v1/me/invoices/${annas.id}/pdf`)).status).toBe(404);
    expect((await anna.browser.get(`/api/v1/invoices/${annas.id}/pdf`)).status).toBe(401);
    expect((await anna.browser.get(`/staff/invoices/${annas.id}/invoice.pdf`)).status).not.toBe(200);
    const reads = await pdfReads(annas.id);
    expect(reads.map((a) => a.actorType)).toEqual(['patient', 'patient']);
    expect(await pdfReads(bens.id)).toEqual([]);
  });

  it('a practitioner downloads their own patients’ invoices only', async () => {
    const p1 = clinic.practitionerIds[0]!;
    const theirs = await simple(anna.id, { practitionerId: p1 });
    const other = await simple(ben.id);
    expect((await pdfOf(doctor, `/api/v1/invoices/${theirs.id}/pdf`)).text).toContain('€40.00');
    expect((await pdfOf(doctor, `/staff/invoices/${theirs.id}/receipt.pdf`)).text).toContain('Receipt');
    expect((await doctor.get(`/api/v1/invoices/${other.id}/pdf`)).status).toBe(404);
    expect((await doctor.get(`/staff/invoices/${other.id}/invoice.pdf`)).status).toBe(404);
    expect(await pdfReads(other.id)).toEqual([]);
  });
});
