import type { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillingWorld, billingWorld } from '../../testing/billing-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { draftInvoice, issueInvoice } from '../../testing/invoices-api.ts';
import type { invoiceJson } from './invoice-json.ts';

/** An invoice as the API answers it (its OpenAPI schema). */
type InvoiceJson = z.infer<typeof invoiceJson>;

/*
 * Issue 20, invoices over HTTP: a draft by hand (the issue's exact body), changed while a draft,
 * issued with its number, then never changed by any route; payments move its status and an
 * overpayment becomes credit; credit notes and refunds; the patient app lists the patient's own;
 * another patient, a practitioner of other patients and bad input are refused and change nothing.
 */
describe.each(bothDialects)('invoices API, on %s', (dialect) => {
  let { app, clinic, doctor, desk, anna, ben, vat } = {} as BillingWorld;

  beforeAll(async () => {
    ({ app, clinic, doctor, desk, anna, ben, vat } = await billingWorld(dialect));
  });
  afterAll(() => app.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const draft = (
    patientId: string,
    lines: unknown[] = [{ description: 'Consultation', quantity: 1, unitPrice: 6000 }],
  ) => draftInvoice<InvoiceJson>(desk, { patientId, lines });
  const issued = async (patientId: string, lines?: unknown[]) =>
    issueInvoice<InvoiceJson>(desk, (await draft(patientId, lines)).id);
  const read = async (id: string) =>
    (await json<{ invoice: InvoiceJson }>(await desk.get(`/api/v1/invoices/${id}`))).invoice;
  const counts = async () => {
    const r = app.db.reader;
    const [i, l, p, c] = await Promise.all([
      r.db.select().from(r.t.invoices),
      r.db.select().from(r.t.invoiceLines),
      r.db.select().from(r.t.payments),
      r.db.select().from(r.t.patientCredits),
    ]);
    return { invoices: i.length, lines: l.length, payments: p.length, credits: c.length };
  };

  it('a draft by hand, changed, issued with its number; then 409 invoice_issued', async () => {
    const res = await desk.json('POST', '/api/v1/invoices', {
      patientId: anna.id,
      lines: [{ description: 'Consultation', quantity: 1, unitPrice: 6000 }],
    });
    expect(res.status).toBe(201);
    const created = (await json<{ invoice: InvoiceJson }>(res)).invoice;
    expect(created).toMatchObject({
      status: 'draft',
      number: null,
      total: 6000,
      currency: 'EUR',
      patientId: anna.id,
    });

    const patched = await desk.json('PATCH', `/api/v1/invoices/${created.id}`, {
      version: created.version,
      lines: [
        { description: 'Consultation', quantity: 1, unitPrice: 6000, taxRateId: vat },
        { description: 'Tape', quantity: 3, unitPrice: 333, taxRateId: vat, discountBasisPoints: 1000 },
      ],
      payer: { kind: 'third_party', name: 'Mutuelle Santé', address: '1 rue de la Paix\n75002 Paris' },
    });
    expect(patched.status).toBe(200);
    const p = (await json<{ invoice: InvoiceJson }>(patched)).invoice;
    // 999 − 10 % (99.9 → 100) = 899; tax 179.8 → 180
    expect(p.lines.map((l) => [l.net, l.tax, l.gross])).toEqual([
      [6000, 1200, 7200],
      [899, 180, 1079],
    ]);
    expect(p).toMatchObject({
      subtotal: 6899,
      taxTotal: 1380,
      total: 8279,
      taxes: [{ name: 'VAT', net: 6899, tax: 1380 }],
    });

    const stale = await desk.json('PATCH', `/api/v1/invoices/${created.id}`, {
      version: created.version,
      note: 'x',
    });
    expect(stale.status).toBe(409);
    expect((await json<{ error: { code: string } }>(stale)).error.code).toBe('version_conflict');

    const issue = await desk.json('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(issue.status).toBe(200);
    const inv = (await json<{ invoice: InvoiceJson }>(issue)).invoice;
    expect(inv.number).toMatch(/^INV-2026-\d{5}$/);
    expect(inv).toMatchObject({
      status: 'issued',
      dueDate: '2026-04-01',
      legalDetails: 'Clinic SARL, SIRET 123 456 789',
      footer: 'Thank you for your visit',
      balance: 8279,
    });

    const again = await desk.json('PATCH', `/api/v1/invoices/${created.id}`, { note: 'changed' });
    expect(again.status).toBe(409);
    expect((await json<{ error: { code: string } }>(again)).error.code).toBe('invoice_issued');
    const twice = await desk.json('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(twice.status).toBe(409);
  });

  it('no route changes an issued invoice (every operation of the OpenAPI document on /invoices/{id})', async () => {
    const inv = await issued(anna.id);
    await desk.json('POST', `/api/v1/invoices/${inv.id}/payments`, { method: 'cash', amount: 1000 });
    const before = await read(inv.id);
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await desk.get('/api/v1/openapi.json'),
    );
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/invoices/{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => [method.toUpperCase(), path] as const));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const bodies = [
      {},
      { note: 'changed', lines: [{ description: 'Other', quantity: 9, unitPrice: 1 }] },
      { lines: [{ position: 1 }] },
      { method: 'cash', amount: 1 },
    ];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        for (const who of [desk, doctor]) {
          await who.json(method, path.replace('{id}', inv.id), method === 'GET' ? undefined : body);
        }
      }
    }
    const after = await read(inv.id);
    const fixed = (v: InvoiceJson) => ({
      number: v.number,
      lines: v.lines,
      subtotal: v.subtotal,
      taxTotal: v.taxTotal,
      total: v.total,
      dueDate: v.dueDate,
      legalDetails: v.legalDetails,
      footer: v.footer,
      patientId: v.patientId,
      currency: v.currency,
    });
    expect(fixed(after)).toEqual(fixed(before));
  });

  it('payments: part paid, then paid with the excess as credit; credit pays another; refunds by credit note', async () => {
    const inv = await issued(anna.id, [{ description: 'Session', quantity: 1, unitPrice: 10000 }]);
    const pay = (id: string, body: unknown) => desk.json('POST', `/api/v1/invoices/${id}/payments`, body);

    const part = await json<{ invoice: InvoiceJson }>(await pay(inv.id, { method: 'card', amount: 4000 }));
    expect(part.invoice).toMatchObject({ status: 'part_paid', paid: 4000, balance: 6000 });
    const over = await json<{ invoice: InvoiceJson }>(
      await pay(inv.id, { method: 'transfer', amount: 7500, reference: 'TX-1' }),
    );
    expect(over.invoice).toMatchObject({ status: 'paid', paid: 10000, balance: 0 });
    expect(over.invoice.payments.map((p) => [p.method, p.amount])).toEqual([
      ['card', 4000],
      ['transfer', 7500],
    ]);
    const paidAgain = await pay(inv.id, { method: 'cash', amount: 1 });
    expect(paidAgain.status).toBe(409);

    // The 1500 of credit pays part of the next invoice; more than that is refused.
    const next = await issued(anna.id, [{ description: 'Session', quantity: 1, unitPrice: 2000 }]);
    expect((await pay(next.id, { method: 'credit', amount: 1600 })).status).toBe(409);
    const byCredit = await json<{ invoice: InvoiceJson }>(
      await pay(next.id, { method: 'credit', amount: 1500 }),
    );
    expect(byCredit.invoice).toMatchObject({ status: 'part_paid', paid: 1500 });
    expect((await pay(next.id, { method: 'credit', amount: 1 })).status).toBe(409);

    // A refund: voiding a paid invoice is refused; a credit note for it, then money paid back.
    const refused = await desk.json('POST', `/api/v1/invoices/${inv.id}/void`);
    expect(refused.status).toBe(409);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('invoice_has_payments');
    const cn = await desk.json('POST', `/api/v1/invoices/${inv.id}/credit-notes`, {});
    expect(cn.status).toBe(201);
    const note = (await json<{ invoice: InvoiceJson }>(cn)).invoice;
    expect(note).toMatchObject({
      kind: 'credit_note',
      status: 'issued',
      total: -10000,
      creditsInvoiceId: inv.id,
    });
    expect(note.number).toMatch(/^INV-2026-/);
    expect((await pay(note.id, { method: 'cash', amount: 500 })).status).toBe(422);
    const refund = await json<{ invoice: InvoiceJson }>(
      await pay(note.id, { method: 'card', amount: -10000 }),
    );
    expect(refund.invoice).toMatchObject({ status: 'paid', paid: -10000 });
    expect((await desk.json('POST', `/api/v1/invoices/${inv.id}/credit-notes`, {})).status).toBe(409);
  });

  it('void: a draft simply; an unpaid issued invoice with a credit note beside it', async () => {
    const d = await draft(anna.id);
    const v = await json<{ invoice: InvoiceJson }>(await desk.json('POST', `/api/v1/invoices/${d.id}/void`));
    expect(v.invoice).toMatchObject({ status: 'void', number: null });
    expect((await desk.json('POST', `/api/v1/invoices/${d.id}/issue`)).status).toBe(409);

    const inv = await issued(anna.id);
    const voided = await json<{ invoice: InvoiceJson }>(
      await desk.json('POST', `/api/v1/invoices/${inv.id}/void`),
    );
    expect(voided.invoice).toMatchObject({ status: 'void', number: inv.number, total: inv.total });
    const list = await json<{ invoices: InvoiceJson[] }>(
      await desk.get(`/api/v1/invoices?patientId=${anna.id}`),
    );
    const cn = list.invoices.find((i) => i.creditsInvoiceId === inv.id)!;
    expect(cn).toMatchObject({ kind: 'credit_note', status: 'paid', total: -inv.total, origin: 'void' });
  });

  it('the patient app lists my invoices (issued), never another patient’s; staff reads are audited', async () => {
    const mine = await issued(anna.id);
    const bens = await issued(ben.id);
    await draft(anna.id);
    const list = await json<{ invoices: InvoiceJson[] }>(await anna.browser.get('/api/v1/me/invoices'));
    expect(list.invoices.length).toBeGreaterThan(0);
    expect(list.invoices.every((i) => i.patientId === anna.id && i.status !== 'draft')).toBe(true);
    expect(list.invoices.map((i) => i.id)).toContain(mine.id);
    expect(list.invoices.map((i) => i.id)).not.toContain(bens.id);
    expect((await anna.browser.get(`/api/v1/me/invoices/${bens.id}`)).status).toBe(404);
    expect((await anna.browser.get(`/api/v1/me/invoices/${mine.id}`)).status).toBe(200);
    // The staff API is not the patient's.
    expect((await anna.browser.get(`/api/v1/invoices/${bens.id}`)).status).toBe(401);
    expect(
      (await anna.browser.json('POST', '/api/v1/invoices', { patientId: anna.id, lines: [] })).status,
    ).toBe(401);

    await desk.get(`/api/v1/invoices/${mine.id}`);
    const r = app.db.reader;
    const audit = await r.db.select().from(r.t.auditLog);
    const reads = audit.filter((a) => a.action === 'invoice.read' && a.entityId === mine.id);
    expect(reads.map((a) => a.actorType).sort()).toEqual(['patient', 'staff']);
    expect(audit.some((a) => a.action === 'invoice.list' && a.actorType === 'patient')).toBe(true);
    expect(audit.some((a) => a.action === 'invoice.issue' && a.entityId === mine.id)).toBe(true);
  });

  it('practitioners read their own patients’ invoices only, and change none', async () => {
    const other = await issued(ben.id);
    expect((await doctor.get(`/api/v1/invoices/${other.id}`)).status).toBe(404);
    const list = await json<{ invoices: InvoiceJson[] }>(await doctor.get('/api/v1/invoices'));
    expect(list.invoices.map((i) => i.id)).not.toContain(other.id);
    expect((await doctor.json('POST', '/api/v1/invoices', { patientId: ben.id, lines: [] })).status).toBe(
      403,
    );
    expect(
      (await doctor.json('POST', `/api/v1/invoices/${other.id}/payments`, { method: 'cash', amount: 1 }))
        .status,
    ).toBe(403);
    // Once the practitioner has seen Ben (an appointment with him), Ben's invoices are readable.
    await bookAppointment(app, clinic, ben.id, '2026-03-03T10:00:00.000Z');
    expect((await doctor.get(`/api/v1/invoices/${other.id}`)).status).toBe(200);
  });

  it('bad input changes nothing', async () => {
    const d = await draft(anna.id);
    const inv = await issued(anna.id);
    const before = await counts();
    const bad: [string, string, unknown][] = [
      [
        'POST',
        '/api/v1/invoices',
        { patientId: anna.id, lines: [{ description: 'x', quantity: 1, unitPrice: 1.5 }] },
      ],
      [
        'POST',
        '/api/v1/invoices',
        { patientId: anna.id, lines: [{ description: 'x', quantity: 0, unitPrice: 100 }] },
      ],
      [
        'POST',
        '/api/v1/invoices',
        { patientId: anna.id, lines: [{ description: 'x', quantity: 1, unitPrice: -100 }] },
      ],
      ['POST', '/api/v1/invoices', { patientId: anna.id, lines: [{ quantity: 1, unitPrice: 100 }] }],
      [
        'POST',
        '/api/v1/invoices',
        {
          patientId: anna.id,
          lines: [{ description: 'x', quantity: 1, unitPrice: 100, discountAmount: 101 }],
        },
      ],
      [
        'POST',
        '/api/v1/invoices',
        {
          patientId: anna.id,
          lines: [
            { description: 'ok', quantity: 1, unitPrice: 100 },
            { description: 'x', quantity: 1, unitPrice: 100, taxRateId: 'nope' },
          ],
        },
      ],
      ['POST', '/api/v1/invoices', { patientId: 'nobody', lines: [] }],
      ['POST', '/api/v1/invoices', { patientId: anna.id, lines: [], stray: 1 }],
      ['POST', '/api/v1/invoices', { patientId: anna.id, payer: { kind: 'third_party' } }],
      ['POST', '/api/v1/invoices', { patientId: anna.id, payer: { kind: 'guardian', patientId: ben.id } }],
      [
        'PATCH',
        `/api/v1/invoices/${d.id}`,
        {
          lines: [
            { description: 'ok', quantity: 1, unitPrice: 100 },
            { description: 'x', quantity: 1, unitPrice: 'a' },
          ],
        },
      ],
      [
        'PATCH',
        `/api/v1/invoices/${d.id}`,
        {
          lines: [
            { description: 'ok', quantity: 1, unitPrice: 100 },
            { productId: 'nope', quantity: 1 },
          ],
        },
      ],
      ['PATCH', `/api/v1/invoices/${d.id}`, { dueDate: 'tomorrow' }],
      ['POST', `/api/v1/invoices/${inv.id}/payments`, { method: 'cash', amount: 0 }],
      ['POST', `/api/v1/invoices/${inv.id}/payments`, { method: 'cash', amount: -5 }],
      ['POST', `/api/v1/invoices/${inv.id}/payments`, { method: 'cheque', amount: 5 }],
      ['POST', `/api/v1/invoices/${inv.id}/payments`, { method: 'cash', amount: 5.5 }],
      ['POST', `/api/v1/invoices/${d.id}/payments`, { method: 'cash', amount: 5 }],
      ['POST', `/api/v1/invoices/${inv.id}/credit-notes`, { lines: [{ position: 9 }] }],
    ];
    for (const [method, path, body] of bad) {
      const res = await desk.json(method, path, body);
      expect([404, 409, 422], `${method} ${path} ${JSON.stringify(body)}`).toContain(res.status);
    }
    expect(await counts()).toEqual(before);
    expect(await read(d.id)).toMatchObject({ total: 6000, lines: [{ description: 'Consultation' }] });
  });
});
