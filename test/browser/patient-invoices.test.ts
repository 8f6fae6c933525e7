import type { Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { pdfText } from '../../src/testing/pdf-text.ts';
import { skipBrowserTests } from './chromium.ts';
import { heading, signedInAsMaya } from './patient-app-world.ts';
import { a11y, shots } from './patient-daily-world.ts';

/**
 * Issue 20 in Debian Chromium at a phone's size: the patient app's Invoices, reached from Home.
 * Maya's issued invoices are listed newest first with number, date, total, status and what is
 * left to pay — never a draft, never her son's under her name; Open shows the PDF in a new tab
 * (read back: the number and total), Receipt the payments; the family switcher shows Leo's;
 * offline, the last list stays and the PDFs wait for the network. (Who may download which PDF,
 * on both dialects: the invoice PDFs' HTTP tests.)
 */
describe.skipIf(skipBrowserTests)('invoices in the patient app', () => {
  const cleanups = cleanupsAfterEach();

  const invoice = async (app: App, adminId: string, patientId: string, lines: unknown[], paid = 0) => {
    const admin = { type: 'staff' as const, id: adminId };
    const draft = await app.deps.billing.create(admin, { patientId, lines });
    const issued = await app.deps.billing.issue(admin, draft.id);
    if (paid) await app.deps.billing.pay(admin, issued.id, { method: 'card', amount: paid });
    return issued;
  };

  it('lists the issued invoices, opens one as a PDF and its receipt, follows the family switcher, and shows the list offline', async () => {
    const { app, page, context, clinic, mayaId } = await signedInAsMaya(cleanups);
    const leo = await app.deps.patientFamily.addDependent(
      { type: 'patient', id: mayaId },
      { firstName: 'Leo', lastName: 'Lind', dateOfBirth: '2019-04-02' },
    );
    const admin = clinic.adminId;
    const first = await invoice(app, admin, mayaId, [
      { description: 'Initial assessment', quantity: 1, unitPrice: 8500 },
    ]);
    const second = await invoice(
      app,
      admin,
      mayaId,
      [
        { description: 'Physio session', quantity: 2, unitPrice: 6000 },
        { description: 'Knee brace', quantity: 1, unitPrice: 2450 },
      ],
      5000,
    );
    const leos = await invoice(app, admin, leo.id, [
      { description: 'Child check', quantity: 1, unitPrice: 4000 },
    ]);
    await app.deps.billing.create(
      { type: 'staff', id: admin },
      {
        patientId: mayaId,
        lines: [{ description: 'Not yet issued', quantity: 1, unitPrice: 100 }],
      },
    );

    await page.reload();
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Invoices');
    const cards = page.locator('article.invoice');
    await expect.poll(() => cards.count()).toBe(2);
    // Newest first (the second was issued last), never the draft nor Leo's.
    expect(await cards.locator('h2').allInnerTexts()).toEqual([
      `Invoice ${second.number}`,
      `Invoice ${first.number}`,
    ]);
    const card = cards.first();
    expect(await card.innerText()).toContain('Total €144.50');
    expect(await card.innerText()).toContain('Partly paid · €94.50 to pay');
    expect(await cards.nth(1).innerText()).toContain('Not paid yet · €85.00 to pay');
    expect(
      await cards
        .nth(1)
        .getByRole('link', { name: /Receipt/ })
        .count(),
    ).toBe(0);

    // Open: a new tab showing the PDF, the invoice's own numbers in it.
    const pdfAnswer = (suffix: string) =>
      new Promise<Response>((resolve) =>
        context.on('response', (r) => r.url().endsWith(suffix) && resolve(r)),
      );
    const served = pdfAnswer(`/me/invoices/${second.id}/pdf`);
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('link', { name: `Open PDF ${second.number}` }).click(),
    ]);
    const response = await served;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['content-disposition']).toBe(`inline; filename="${second.number}.pdf"`);
    // The same bytes read back (a tab showing a PDF does not hand its body to the test).
    const pdfOf = (path: string) =>
      page.evaluate(async (p) => [...new Uint8Array(await (await fetch(p)).arrayBuffer())], path);
    const text = pdfText(Buffer.from(await pdfOf(new URL(response.url()).pathname)));
    expect(text).toContain(`Invoice ${second.number}`);
    expect(text).toContain('€144.50');
    expect(text).toContain('€94.50');
    await tab.close();
    const receiptServed = pdfAnswer(`/me/invoices/${second.id}/pdf?kind=receipt`);
    const [receiptTab] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('link', { name: `Receipt ${second.number}` }).click(),
    ]);
    const receipt = new URL((await receiptServed).url());
    expect(pdfText(Buffer.from(await pdfOf(receipt.pathname + receipt.search)))).toContain('€50.00');
    await receiptTab.close();

    await a11y(page, 'invoices');
    await shots(page, 'invoices-en');

    // The family switcher shows Leo's invoice only, said as his.
    const switcher = page.getByRole('combobox', { name: 'Showing' });
    await switcher.selectOption({ label: 'Leo Lind' });
    await expect.poll(() => cards.locator('h2').allInnerTexts()).toEqual([`Invoice ${leos.number}`]);
    expect(await page.getByText('Invoices for Leo.').isVisible()).toBe(true);
    await switcher.selectOption({ index: 0 });
    await expect.poll(() => cards.count()).toBe(2);

    // French, then offline: the list the phone saw stays; the PDFs wait for the network.
    await page.evaluate(() => localStorage.setItem('cb.lang', 'fr'));
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => heading(page)).toBe('Factures');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.first().innerText()).toContain('Payée en partie');
    await shots(page, 'invoices-fr');
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => cards.count()).toBe(2);
    expect(await page.locator('.banner.offline').isVisible()).toBe(true);
    const open = cards.first().getByRole('button', { name: `Ouvrir le PDF ${second.number}` });
    expect(await open.isDisabled()).toBe(true);
    expect(await open.getAttribute('aria-describedby')).toBe('offline-reason');
    await a11y(page, 'invoices offline');
    await context.setOffline(false);
  });
});
