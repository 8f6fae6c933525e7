import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { markPage, panelWorld } from './calendar-panel-world.ts';
import { launchChromium, pageErrors, pageShots, skipBrowserTests } from './chromium.ts';

/**
 * Issue 20's browser test at the front desk: reception completes an appointment in the calendar's
 * panel, creates its invoice, adds a line in the editor (redrawn in place by htmx), issues it,
 * takes a payment at the balance, then follows the receipt link. Desktop and phone sizes, axe-core
 * on each screen.
 */
describe.skipIf(skipBrowserTests)('invoices at the front desk in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('completes, invoices, issues, takes a payment and opens the receipt', async () => {
    const world = await panelWorld({ patients: 2 });
    cleanups.push(() => world.stop());
    const admin = { type: 'staff' as const, id: world.clinic.adminId };
    const vat = await world.app.deps.billing.createTaxRate(admin, {
      name: 'VAT',
      basisPoints: 2000,
      inclusive: false,
    });
    await world.app.deps.billing.setServicePrice(admin, world.clinic.serviceId, {
      unitPrice: 6000,
      taxRateId: vat.id,
    });
    await world.app.deps.billing.updateSettings(admin, { onCompletion: 'button' });
    const visit = await world.book({ practitioner: 1, patient: 1, time: '09:00' });

    const browser = await launchChromium(cleanups);
    const page = await world.receptionPage(browser);
    const errors = pageErrors(page, { console: { except: /status of 422/ } });

    // The calendar's panel: arrived, completed, then "Create invoice".
    await page.goto(`${world.base}/staff/appointments/${visit}`);
    const panel = page.locator('#panel');
    await panel.getByRole('button', { name: 'Mark arrived' }).click();
    // The panel is redrawn with the new version: a click on the old one's "Mark completed" (it has
    // one too) would send the old version and be refused as changed meanwhile.
    await panel.locator('.status-arrived').waitFor();
    await panel.getByRole('button', { name: 'Mark completed' }).click();
    await panel.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByText('A draft invoice was made').waitFor();
    const editor = page.locator('#invoice-editor');
    expect(await editor.locator('#l0_description').inputValue()).not.toBe('');
    expect(await page.locator('[data-total="invoice"]').innerText()).toBe('€72.00');
    await checkAtBothSizes(page, 'invoice-draft');

    // A free-text line in the new row: the editor is redrawn in place, the total by the domain.
    const samePage = await markPage(page);
    await editor.locator('#l1_description').fill('Knee brace');
    await editor.locator('#l1_unitPrice').fill('abc');
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('An amount such as 45.00.').waitFor();
    expect(await page.locator('#l1_unitPrice').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#l1_unitPrice').fill('25.00');
    await page.locator('#l1_taxRateId').selectOption('none');
    await page.locator('#invoice-editor').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('[data-total="invoice"]').innerText()).toBe('€97.00');
    expect(await samePage()).toBe(true);

    // Issue: read-only, with its number.
    await page.getByRole('button', { name: 'Save and issue' }).click();
    await page.getByText('Issued. It can no longer change').waitFor();
    const invoiceUrl = page.url().replace(/\?.*$/, '');
    const number = (await page.locator('h1').innerText()).trim();
    expect(number).toMatch(/^INV-\d{4}-\d{5}$/);
    expect(await page.locator('#invoice-editor').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Invoice PDF' }).getAttribute('href')).toBe(
      `${new URL(invoiceUrl).pathname}/invoice.pdf`,
    );

    // A payment at the balance (the amount is filled in), by card.
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('97.00');
    await page.getByLabel('Card').check();
    await page.getByLabel('Reference').fill('Terminal 4411');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByText('The payment is recorded.').waitFor();
    expect(await page.locator('.invoice-facts .invoice-status').innerText()).toBe('Paid');
    expect(await page.locator('[data-total="balance"]').innerText()).toBe('€0.00');
    await checkAtBothSizes(page, 'invoice-paid');

    // The receipt: linked, and a PDF (the route of the PDF pages).
    const receipt = page.getByRole('link', { name: 'Receipt PDF' });
    const href = await receipt.getAttribute('href');
    expect(href).toBe(`${new URL(invoiceUrl).pathname}/receipt.pdf`);
    const pdf = await page.request.get(`${world.base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The register: today's takings and the invoice, paid.
    await page.goto(`${world.base}/staff/invoices`);
    expect(await page.locator('[data-total="takings"]').innerText()).toBe('€97.00');
    await page.getByRole('link', { name: number }).waitFor();
    await checkAtBothSizes(page, 'invoices');
    expect(errors).toEqual([]);
  }, 180_000);
});

const { checkAtBothSizes } = pageShots('staff-');
