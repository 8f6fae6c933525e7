import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { pageShots, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { practitionerAtChart, staffChromiumPage } from './signed-in-page.ts';

const { checkAtBothSizes } = pageShots('daily-walk-');

/**
 * Defects a clinic's staff met walking through a day in Chromium (the demo clinic, 2026-12-06),
 * each checked where it was seen, at a laptop's and a phone's size.
 */
describe.skipIf(skipBrowserTests)('a staff day in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('a note’s text boxes are written in the page’s font, like its other fields', async () => {
    const { page, chart, errors } = await practitionerAtChart(cleanups, 'walk-textarea', {
      viewport: { width: 1366, height: 768 },
    });
    await page.goto(chart);
    await page.getByRole('link', { name: 'Treatment notes' }).click();
    await page.getByLabel('Template').selectOption({ label: 'SOAP note' });
    await page.getByRole('button', { name: 'Start the note' }).click();
    const text = page.getByLabel(/^Subjective/);
    await text.fill('Knee pain on stairs for 3 weeks.');
    // Chromium's own text box is monospace at 13 px with 2 px of padding: the clinician's main
    // writing surface read unlike every input beside it.
    const look = (field: Locator) =>
      field.evaluate((e) => {
        const s = getComputedStyle(e);
        return { font: s.fontFamily, size: s.fontSize, padding: s.paddingLeft, radius: s.borderRadius };
      });
    expect(await look(text)).toEqual(await look(page.getByLabel(/^Weight/)));
    await checkAtBothSizes(page, 'note-draft');
    expect(errors).toEqual([]);
  }, 120_000);

  it('“Sign out” is a full touch target, level with the member’s name', async () => {
    const { app, base } = await servedClinic(cleanups, 'walk-sign-out', { patients: 1 });
    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'p1@clinic.example', {
      viewport: { width: 1366, height: 768 },
    });
    await page.goto(`${base}/staff`);
    // It was 24 px high and 8 px above the name (its form's margin lifted it), on every page.
    const middle = async (name: string) => {
      const box = (await page
        .locator('.account')
        .getByRole(name === 'Sign out' ? 'button' : 'link', { name })
        .boundingBox())!;
      return { middle: box.y + box.height / 2, height: box.height };
    };
    const check = async () => {
      const signOut = await middle('Sign out');
      const member = await middle('Practitioner 1 (practitioner)');
      expect(signOut.height).toBeGreaterThanOrEqual(44);
      expect(Math.abs(signOut.middle - member.middle)).toBeLessThanOrEqual(2);
    };
    await check();
    await checkAtBothSizes(page, 'sign-out', check);
    expect(errors).toEqual([]);
  }, 120_000);

  it('wide tables of the account, settings and admin pages scroll in their box on a phone', async () => {
    const { app, base } = await servedClinic(cleanups, 'walk-tables', { patients: 2 });
    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'ada@clinic.example', {
      viewport: { width: 1366, height: 768 },
    });
    // Each of these widened the whole page on a 390 px phone (the sessions' browser names, the
    // services' five columns, the staff list's buttons…), so every other part of it slid sideways.
    for (const path of [
      'account',
      'settings/services',
      'settings/templates',
      'admin/staff',
      'admin/jobs',
      'admin/audit',
    ]) {
      await page.goto(`${base}/staff/${path}`);
      await checkAtBothSizes(page, path.replace('/', '-'));
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
