import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { draftInvoice, issueInvoice, readInvoice } from '../../testing/invoices-api.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from '../../testing/two-patients-world.ts';
import { until } from '../../testing/wait.ts';

interface Invoice {
  id: string;
  number: string | null;
  lastEmailedAt?: string | null;
}

/*
 * Issue 20 item 4: staff see when an invoice was last emailed to its payer, and to whom (the
 * address partly hidden), on its page and as `lastEmailedAt` in GET /api/v1/invoices/{id} — read
 * from the delivery log the dispatcher keeps, the emails sent through a real SMTP sink by the
 * worker. Never emailed (a draft, a payer without an address): null and "Not sent yet".
 */
describe.each(bothDialects)('when an invoice was last emailed, on %s', (dialect) => {
  let { app, clinic, desk, anna } = {} as TwoPatientsWorld;
  let cleo: string;

  beforeAll(async () => {
    ({ app, clinic, desk, anna } = await twoPatientsWorld(dialect));
    cleo = (await patientOnRecord(app, { firstName: 'Cleo', email: '', phone: '+33612345678' })).id;
    await app.deps.billing.updateSettings({ type: 'staff', id: clinic.adminId }, { currency: 'EUR' });
  });
  afterAll(() => app.destroy());

  const read = (id: string) => readInvoice<Invoice>(desk, id);
  const draft = (patientId: string) =>
    draftInvoice<Invoice>(desk, {
      patientId,
      lines: [{ description: 'Physio session', quantity: 1, unitPrice: 6000 }],
    });
  const issue = (id: string) => issueInvoice<Invoice>(desk, id);
  const lastEmailedOnPage = async (id: string) => {
    const page = await desk.text(await desk.get(`/staff/invoices/${id}`));
    return /<dt>Last emailed<\/dt>\s*<dd data-fact="last-emailed">([^<]*)<\/dd>/.exec(page)?.[1] ?? null;
  };

  it('is null until the email leaves, then the time it was sent, and moves with Send', async () => {
    const made = await draft(anna.id);
    expect((await read(made.id)).lastEmailedAt).toBeNull();
    expect(await lastEmailedOnPage(made.id)).toBeNull(); // a draft: nothing to say

    const issuedAt = app.clock.now();
    const inv = await issue(made.id);
    await until('the invoice email', async () =>
      app.mailsTo('anna@example.org').some((m) => m.subject?.includes(inv.number!)),
    );
    const first = await until('its delivery marked sent', async () => (await read(inv.id)).lastEmailedAt);
    expect(first).toBe(issuedAt.toISOString()); // the fixed clock: sent when issued
    expect(await lastEmailedOnPage(inv.id)).toMatch(/ to a…a@example\.org$/);

    // Five minutes later, sent again: the later time.
    app.clock.advance(5 * 60 * 1000);
    expect((await desk.json('POST', `/api/v1/invoices/${inv.id}/send`)).status).toBe(202);
    await until(
      'the second email',
      async () =>
        app.mailsTo('anna@example.org').filter((m) => m.subject?.includes(inv.number!)).length === 2,
    );
    const second = await until('the second delivery marked sent', async () => {
      const at = (await read(inv.id)).lastEmailedAt;
      return at !== first && at;
    });
    expect(new Date(second).getTime() - new Date(first!).getTime()).toBe(5 * 60 * 1000);
    // Another invoice's emails do not count.
    const other = await issue((await draft(anna.id)).id);
    await until('the other invoice’s email', async () =>
      app.mailsTo('anna@example.org').some((m) => m.subject?.includes(other.number!)),
    );
    expect((await read(inv.id)).lastEmailedAt).toBe(second);
  });

  it('a payer without an email address: never emailed', async () => {
    const inv = await issue((await draft(cleo)).id);
    expect((await read(inv.id)).lastEmailedAt).toBeNull();
    expect(await lastEmailedOnPage(inv.id)).toBe('Not sent yet');
    // Lists carry no lastEmailedAt (one query per invoice read, not per row listed).
    const list = (await (await desk.get(`/api/v1/invoices?patientId=${cleo}`)).json()) as {
      invoices: Invoice[];
    };
    expect(list.invoices[0]).not.toHaveProperty('lastEmailedAt');
  });

  it('is in the OpenAPI document of GET /api/v1/invoices/{id}', async () => {
    const doc = (await (await app.http.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: unknown }>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    expect(JSON.stringify(doc.paths['/api/v1/invoices/{id}']!.get)).toContain(
      '#/components/schemas/InvoiceRead',
    );
    const read = doc.components.schemas.InvoiceRead!;
    expect(read.properties.lastEmailedAt).toMatchObject({ type: ['string', 'null'] });
    expect(read.required).toContain('lastEmailedAt');
    expect(doc.components.schemas.Invoice!.properties).not.toHaveProperty('lastEmailedAt');
  });
});
