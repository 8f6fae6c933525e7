import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { markPage, panelWorld } from './calendar-panel-world.ts';
import { launchChromium, pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';

/**
 * Today in Chromium (issue 15, item 10): a long day's list, each row with a small "Arrived" button
 * that still names the patient to a screen reader; marking an arrival far down the page changes
 * its row in place, the page stays where it was, and a refused arrival says why in its row.
 */
describe.skipIf(skipBrowserTests)('Today in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('marks an arrival in place with a compact, well-named button; the page does not jump', async () => {
    const world = await panelWorld({ patients: 28 });
    cleanups.push(() => world.stop());
    const times = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '13:00'];
    const later = ['13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30'];
    const ids: string[] = [];
    let patient = 0;
    for (const time of [...times, ...later])
      for (const practitioner of [1, 2])
        ids.push(await world.book({ practitioner, patient: ++patient, time }));
    const browser = await launchChromium(cleanups);
    const page = await world.receptionPage(browser);
    const errors = pageErrors(page, { console: { except: /status of 409/ } });
    await page.goto(`${world.base}/staff`);
    const samePage = await markPage(page);

    // One small button per row, all alike to the eye; each named for its patient.
    const buttons = page.getByRole('button', { name: /^Arrived: / });
    expect(await buttons.count()).toBe(28);
    const widths = await buttons.evaluateAll((all) => all.map((b) => b.getBoundingClientRect().width));
    expect(Math.max(...widths)).toBeLessThan(120);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThan(1);

    // A row far down: marked in place, the page stays put.
    const last = page.getByRole('button', { name: 'Arrived: Pat24 Ient24', exact: true });
    await last.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    const row = page.locator(`#today-${ids[23]}`);
    const top = await topOf(row);
    await last.click();
    await row.locator('td.status-arrived').waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    await page.getByText('1 arrived and waiting').waitFor();
    expect(await samePage()).toBe(true);
    expect(Math.abs((await topOf(row)) - top)).toBeLessThan(5);

    // Another desk marked a no-show meanwhile: the arrival is refused in its row, in place.
    const { version } = await world.app.deps.appointments.get(world.reception, ids[22]!);
    await world.app.deps.appointments.setStatus(world.reception, ids[22]!, 'no_show', version);
    const refused = page.locator(`#today-${ids[22]}`);
    const refusedTop = await topOf(refused);
    await page.getByRole('button', { name: 'Arrived: Pat23 Ient23', exact: true }).click();
    await refused.getByRole('alert').waitFor();
    await refused.locator('td.status-no_show').waitFor();
    expect(await samePage()).toBe(true);
    // The message makes its row a little taller; the row stays in view, near where it was.
    expect(Math.abs((await topOf(refused)) - refusedTop)).toBeLessThan(40);
    expect(await refused.evaluate((r) => r.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);

    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'today-desktop.png'), fullPage: true });
    const phone = await world.receptionPage(browser, { width: 390, height: 844 });
    await phone.goto(`${world.base}/staff`);
    expect(await seriousA11yViolations(phone)).toEqual([]);
    await phone.screenshot({ path: join(screenshotDir, 'today-phone.png') });
    expect(errors).toEqual([]);
  }, 120_000);
});

/** Where a row is drawn in the window: it stays put when the page does not jump. */
const topOf = (row: Locator) => row.evaluate((r) => r.getBoundingClientRect().top);
