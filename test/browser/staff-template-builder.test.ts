import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * The note and form template builder in Debian Chromium: an admin builds a form from nothing (the
 * preview follows the typing), moves a field up, saves version 1, then edits a shipped starter into
 * version 2 on a phone-sized screen. Screenshots go to <os tmpdir>/clinicbox-screenshots/.
 */
describe.skipIf(skipBrowserTests)('template builder in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('builds a form with a live preview, reorders, saves; edits a starter on a phone', async () => {
    const { app, base } = await servedClinic(cleanups, 'template-builder');
    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'ada@clinic.example', {
      errors: { console: {} },
    });
    page.setDefaultTimeout(8_000);
    mkdirSync(screenshotDir, { recursive: true });

    await page.goto(`${base}/staff/settings`);
    await page.getByRole('link', { name: 'Note and form templates' }).click();
    await page.getByRole('row', { name: /SOAP/ }).waitFor();
    await page.getByRole('link', { name: 'New patient form' }).click();
    await page.getByLabel('Template name').fill('Running injury intake');
    // One Save button shows (the form's hidden default one, for Enter, does not).
    expect(await page.getByRole('button', { name: /^Save/ }).count()).toBe(1);

    await page.getByLabel('Add a field').selectOption('short-text');
    await page.getByRole('button', { name: 'Add field' }).click();
    const preview = page.locator('#preview');
    const first = page.locator('#b-0-label');
    await expect.poll(() => first.evaluate((el) => el === document.activeElement)).toBe(true);
    await first.pressSequentially('Weekly distance', { delay: 5 });
    await preview.getByLabel('Weekly distance').waitFor();

    await page.getByLabel('Add a field').selectOption('scale');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.locator('#b-1-label').pressSequentially('Pain when running', { delay: 5 });
    await page.locator('#b-1-maxLabel').fill('Worst imaginable');
    await page.getByRole('group', { name: '2. 0–10 scale' }).getByLabel('Required').check();
    await preview.getByText('Pain when running').waitFor();
    await expect
      .poll(() => preview.locator('option[value="10"]').textContent())
      .toBe('10 – Worst imaginable');
    expect(await page.locator('#b-0-label').inputValue()).toBe('Weekly distance');

    await page.getByRole('button', { name: 'Move field 2 up' }).click();
    await expect.poll(() => page.locator('#b-0-label').inputValue()).toBe('Pain when running');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'template-builder-desktop.png'), fullPage: true });

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Template saved').waitFor();
    const listed = await page.evaluate(async () => {
      const r = await fetch('/api/v1/templates?kind=form');
      return (await r.json()) as {
        templates: {
          name: string;
          version: number;
          fields: { id: string; type: string; required?: boolean }[];
        }[];
      };
    });
    const made = listed.templates.find((t) => t.name === 'Running injury intake');
    expect(made).toMatchObject({
      version: 1,
      fields: [
        { id: 'pain-when-running', type: 'scale', required: true },
        { id: 'weekly-distance', type: 'short-text' },
      ],
    });

    // On a phone: the SOAP starter gets a help text; saving makes version 2.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/staff/settings/templates`);
    await page.getByRole('link', { name: /SOAP/ }).click();
    await page.getByText('saving makes version 2').waitFor();
    await page.locator('#b-0-help').fill('What the patient reports, in their words.');
    await preview.getByText('What the patient reports, in their words.').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'template-builder-phone.png'), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    // Enter in a text box saves (the hidden first button is the form's default, not "Up").
    await page.locator('#b-0-help').press('Enter');
    await page.getByText('Template saved').waitFor();
    await page.getByText('saving makes version 3').waitFor();
    expect(await page.locator('#b-0-label').inputValue()).toBe('Subjective');
    expect(errors).toEqual([]);
  });
});
