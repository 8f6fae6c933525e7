import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { signedInAs } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * Settings › Billing in Debian Chromium (issue 20): the admin sets the currency and legal
 * details, adds a tax rate and a product, sets a service's price with a practitioner's own
 * price, and sees them; a price typed wrong is shown again with its error and changes nothing;
 * the front desk is refused (403) every billing settings page.
 */
describe.skipIf(skipBrowserTests)('billing settings in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('an admin sets a tax rate, a product and a service price and sees them; reception gets 403', {
    timeout: 120_000,
  }, async () => {
    const { app, base, clinic } = await servedClinic(cleanups, 'billing-settings');
    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'ada@clinic.example', {
      errors: { console: { except: /status of 422/ } },
    });

    await page.goto(`${base}/staff/settings`);
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    const settings = page.getByRole('form', { name: 'Billing settings' });
    await settings.getByLabel('Currency').fill('chf');
    await settings.getByLabel('Payment terms (days until due)').fill('30');
    await settings.getByLabel('Legal name').fill('Riverside Physio Sàrl');
    await settings.getByLabel('Tax or VAT number').fill('CHE-123.456.789 MWST');
    await settings.getByRole('button', { name: 'Save billing settings' }).click();
    await page.getByText('Billing settings saved.').waitFor();

    const addRate = page.getByRole('form', { name: 'Add a tax rate' });
    await addRate.getByLabel('Name').fill('MWST');
    await addRate.getByLabel('Rate (%)').fill('8,1');
    await addRate.getByLabel('Prices').selectOption({ label: 'Tax is included in the price' });
    await addRate.getByRole('button', { name: 'Add tax rate' }).click();
    await page.getByText('Tax rate added.').waitFor();
    const rateRow = page.getByRole('table', { name: 'Tax rates' }).getByRole('row', { name: /MWST/ });
    expect(await rateRow.textContent()).toContain('8.1 %');

    // A price typed wrong comes back with what was typed and its error; nothing is added.
    const addProduct = page.getByRole('form', { name: 'Add a product' });
    await addProduct.getByLabel('Name').fill('Knee brace');
    await addProduct.getByLabel('Price (CHF)').fill('25.505');
    await addProduct.getByLabel('Tax rate').selectOption({ label: 'MWST (8.1 %, included)' });
    await addProduct.getByRole('button', { name: 'Add product' }).click();
    await page.locator('#f-product-price-error').waitFor();
    expect(await page.locator('#f-product-price-error').textContent()).toContain('At most 2 decimals in CHF');
    expect((await app.deps.billing.priceList({ type: 'staff', id: clinic.adminId })).products).toEqual([]);
    const again = page.getByRole('form', { name: 'Add a product' });
    expect(await again.getByLabel('Name').inputValue()).toBe('Knee brace');
    await again.getByLabel('Price (CHF)').fill('25.50');
    await again.getByRole('button', { name: 'Add product' }).click();
    await page.getByText('Product added.').waitFor();
    const productRow = page.getByRole('table', { name: 'Products' }).getByRole('row', { name: /Knee brace/ });
    expect(await productRow.textContent()).toMatch(/CHF\s*25\.50/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'billing-settings.png'), fullPage: true });

    // The service's price, a practitioner's own price and a no-show fee.
    await page.getByRole('table', { name: 'Service prices' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Price: / }).waitFor();
    await page.getByLabel('Price (CHF)', { exact: true }).fill('120');
    await page.getByLabel('No-show fee (CHF)').fill('60');
    await page.getByLabel('Dr P1 (CHF)').fill('135.50');
    await page.getByRole('button', { name: 'Save price' }).click();
    await page.getByText('Price saved.').waitFor();
    expect(await page.getByLabel('Dr P1 (CHF)').inputValue()).toBe('135.50');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const prices = (await app.deps.billing.catalogue({ type: 'staff', id: clinic.adminId }, clinic.serviceId))
      .prices;
    expect(prices.map((p) => [p.practitionerId, p.unitPrice, p.noShowFee])).toEqual(
      [
        ['', 12000, 6000],
        [clinic.practitionerIds[0], 13550, null],
      ].sort(),
    );
    await page.goto(`${base}/staff/settings/billing`);
    const serviceRow = page.getByRole('table', { name: 'Service prices' }).getByRole('row').nth(1);
    expect(await serviceRow.textContent()).toMatch(/CHF\s*120\.00.*1.*CHF\s*60\.00/);

    // The front desk may not open any of it.
    const desk = await signedInAs(app, 'bo@clinic.example');
    for (const path of ['/staff/settings/billing', `/staff/settings/services/${clinic.serviceId}/price`])
      expect({ path, status: (await desk.get(path)).status }).toEqual({ path, status: 403 });
    expect(errors).toEqual([]);
  });
});
