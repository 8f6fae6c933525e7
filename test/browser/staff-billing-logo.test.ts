import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../src/testing/app.ts';
import { seedClinic } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { logoPng } from '../../src/testing/logos.ts';
import { pageShots, screenshotDir, skipBrowserTests } from './chromium.ts';
import { staffPageOnServedApp } from './signed-in-page.ts';

/**
 * Issue 20 item 4 in a real browser: an admin uploads the clinic's logo on Settings › Billing (a
 * wrong file first: the error is shown and tied to the field), sees it previewed, then removes it.
 * axe-core, no sideways scrolling and a screenshot at a laptop's and a phone's width.
 */
describe.skipIf(skipBrowserTests)('the clinic logo on Settings › Billing in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('refuses a wrong file, previews the uploaded logo and removes it', async () => {
    const app = await createTestApp({ config: { staffMfa: 'optional' } });
    cleanups.push(() => app.destroy());
    await seedClinic(app, { practitioners: 1, patients: 1 });
    const { base, page, errors } = await staffPageOnServedApp(app, cleanups, 'ada@clinic.example');
    mkdirSync(screenshotDir, { recursive: true });
    const files = join(screenshotDir, 'logo-files');
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, 'notes.txt'), 'not an image');
    writeFileSync(join(files, 'logo.png'), logoPng());

    await page.goto(`${base}/staff/settings/billing`);
    await page.getByText('No logo: invoices print the clinic’s name alone.').waitFor();
    await page.getByLabel('Logo', { exact: true }).setInputFiles(join(files, 'notes.txt'));
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await page.getByText('The logo must be a PNG or JPEG image.').first().waitFor();
    expect(await page.getByLabel('Logo', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Logo', { exact: true }).setInputFiles(join(files, 'logo.png'));
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await page.getByText('Logo saved: it prints on every invoice and receipt.').waitFor();
    const preview = page.getByRole('img', { name: 'The clinic’s logo, as invoices print it' });
    await preview.waitFor();
    expect(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
    await page.locator('#h-logo').scrollIntoViewIfNeeded();
    await checkAtBothSizes(page, 'billing-logo');

    await page.getByRole('button', { name: 'Remove logo' }).click();
    await page.getByText('Logo removed.').waitFor();
    expect(await preview.count()).toBe(0);
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  }, 120_000);
});

const { checkAtBothSizes } = pageShots('staff-');
