import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillingWorld, billingWorld } from '../../testing/billing-world.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { cookieOf } from '../../testing/documents.ts';
import { logoJpeg, logoPng } from '../../testing/logos.ts';
import { pdfImageCount } from '../../testing/pdf-text.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/*
 * Issue 20 item 4, the clinic's logo on invoices and receipts: an admin uploads a PNG or JPEG on
 * Settings › Billing (type told from the bytes), sees it previewed, replaces or removes it; the
 * invoice and receipt PDFs then carry it as an image. Anything else — text, an HTML page named
 * .png, a PDF, an empty form, a file over 512 KB — is refused with a clear message and changes
 * nothing; the front desk may not change it. Every change is an audited settings change.
 */
describe.each(bothDialects)('the clinic logo, on %s', (dialect) => {
  let { app, desk, ben } = {} as BillingWorld;
  let admin: TestBrowser;
  let invoiceId: string;

  beforeAll(async () => {
    ({ app, desk, ben } = await billingWorld(dialect));
    admin = await signedInAs(app, 'ada@clinic.example');
    const draft = await desk.json('POST', '/api/v1/invoices', {
      patientId: ben.id,
      lines: [{ description: 'Visit', quantity: 1, unitPrice: 4000 }],
    });
    invoiceId = ((await draft.json()) as { invoice: { id: string } }).invoice.id;
    expect((await desk.json('POST', `/api/v1/invoices/${invoiceId}/issue`)).status).toBe(200);
  });
  afterAll(() => app.destroy());

  /** Posts `file` as the page's upload form does (multipart, with its CSRF token). */
  const upload = async (browser: TestBrowser, file: { name: string; bytes: Buffer; type: string } | null) => {
    await browser.text(await browser.get('/staff/settings/billing'));
    const form = new FormData();
    form.append('_csrf', /name="_csrf" value="([^"]*)"/.exec(browser.page())?.[1] ?? '');
    if (file) form.append('logo', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    const res = await app.http.request('http://localhost/staff/settings/billing/logo', {
      method: 'POST',
      headers: { cookie: cookieOf(browser), origin: 'http://localhost' },
      body: form,
    });
    return { status: res.status, location: res.headers.get('location'), page: await res.text() };
  };
  /** The logo as the settings page previews it (null: the page shows none). */
  const storedLogo = async () => {
    const page = await admin.text(await admin.get('/staff/settings/billing'));
    const src = /<img src="(\/staff\/settings\/billing\/logo\/[0-9a-f]{16})"/.exec(page)?.[1];
    if (!src) return null;
    const res = await admin.get(src);
    expect(res.status).toBe(200);
    return { src, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const imagesIn = async (kind: 'invoice' | 'receipt') => {
    const res = await desk.get(`/api/v1/invoices/${invoiceId}/pdf?kind=${kind}`);
    expect(res.status).toBe(200);
    return pdfImageCount(Buffer.from(await res.arrayBuffer()));
  };
  const logoAudits = async () => {
    const r = app.db.reader;
    // In the order written (PostgreSQL answers an unordered select in storage order, which sealing changes).
    return (await r.db.select().from(r.t.auditLog).orderBy(r.t.auditLog.id))
      .filter((a) => a.action === 'billing.update-logo' || a.action === 'billing.remove-logo')
      .map((a) => a.action);
  };

  it('a PNG uploaded is previewed, printed on the invoice and receipt, and audited', async () => {
    expect(await storedLogo()).toBeNull();
    expect(await imagesIn('invoice')).toBe(0);
    const page = await admin.text(await admin.get('/staff/settings/billing'));
    expect(page).toContain('No logo: invoices print the clinic’s name alone.');

    const saved = await upload(admin, { name: 'logo.png', bytes: logoPng(), type: 'image/png' });
    expect(saved).toMatchObject({ status: 303, location: '/staff/settings/billing?notice=logo#h-logo' });
    expect(await storedLogo()).toMatchObject({ type: 'image/png', bytes: logoPng() });
    const shown = await admin.text(await admin.get('/staff/settings/billing?notice=logo'));
    expect(shown).toContain('Logo saved: it prints on every invoice and receipt.');
    expect(shown).toMatch(/<img src="\/staff\/settings\/billing\/logo\/[0-9a-f]{16}"/);
    expect(shown).toContain('PNG, 2 KB.');
    expect(await imagesIn('invoice')).toBe(1);
    expect(await imagesIn('receipt')).toBe(1);
    expect(await logoAudits()).toEqual(['billing.update-logo']);
  });

  it('anything but a PNG or JPEG up to 512 KB is refused with a clear message, changing nothing', async () => {
    const refusals = [
      [{ name: 'logo.txt', bytes: Buffer.from('just some text'), type: 'text/plain' }, 'PNG or JPEG'],
      [
        { name: 'logo.png', bytes: Buffer.from('<!doctype html><p>hi</p>'), type: 'image/png' },
        'PNG or JPEG',
      ],
      [{ name: 'logo.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), type: 'application/pdf' }, 'PNG or JPEG'],
      // A PNG's magic number on a file pdf-lib cannot read.
      [{ name: 'broken.png', bytes: logoPng().subarray(0, 40), type: 'image/png' }, 'PNG or JPEG'],
      [
        { name: 'huge.png', bytes: Buffer.concat([logoPng(), Buffer.alloc(600 * 1024)]), type: 'image/png' },
        'too large',
      ],
      [null, 'Choose an image file'],
    ] as const;
    for (const [file, says] of refusals) {
      const res = await upload(admin, file);
      expect(res.status, file?.name).toBe(422);
      expect(res.page).toContain(says);
      expect(res.page).toContain('The logo was not changed.');
      expect(res.page).toContain('aria-invalid="true"');
    }
    expect(await storedLogo()).toMatchObject({ type: 'image/png', bytes: logoPng() });
    expect(await logoAudits()).toEqual(['billing.update-logo']);
  });

  it('the front desk may not change it', async () => {
    const res = await upload(desk, { name: 'logo.jpg', bytes: logoJpeg(), type: 'image/jpeg' });
    expect(res.status).toBe(403);
    expect((await desk.post('/staff/settings/billing/logo/remove')).status).toBe(403);
    expect(await storedLogo()).toMatchObject({ type: 'image/png', bytes: logoPng() });
  });

  it('a JPEG replaces it (embedded as one), and removing it leaves the PDFs without an image', async () => {
    const before = (await storedLogo())!.src;
    const saved = await upload(admin, { name: 'logo.jpeg', bytes: logoJpeg(), type: 'image/jpeg' });
    expect(saved.status).toBe(303);
    const after = await storedLogo();
    expect(after).toMatchObject({ type: 'image/jpeg', bytes: logoJpeg() });
    // The preview's URL names its content: the old one is gone, so no cache shows the old logo.
    expect(after!.src).not.toBe(before);
    expect((await admin.get(before)).status).toBe(404);
    const pdf = Buffer.from(await (await desk.get(`/api/v1/invoices/${invoiceId}/pdf`)).arrayBuffer());
    expect(pdfImageCount(pdf)).toBe(1);
    expect(pdf.toString('latin1')).toContain('/DCTDecode'); // the JPEG as it was, not re-encoded

    await admin.text(await admin.get('/staff/settings/billing'));
    const removed = await admin.post('/staff/settings/billing/logo/remove');
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe('/staff/settings/billing?notice=logo-removed#h-logo');
    expect(await storedLogo()).toBeNull();
    expect(await imagesIn('invoice')).toBe(0);
    expect(await logoAudits()).toEqual(['billing.update-logo', 'billing.update-logo', 'billing.remove-logo']);
  });
});
