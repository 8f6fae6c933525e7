import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { panelWorld } from './calendar-panel-world.ts';
import { launchChromium, pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';
import { signedInStaffPage } from './signed-in-page.ts';

/**
 * Today for a practitioner in Chromium: "Notes to finish" (a draft begun yesterday) above the
 * day's list, and a "Write note" link on each of their appointments; screenshots at desktop and
 * phone sizes, and nothing wider than the phone's screen.
 */
describe.skipIf(skipBrowserTests)('Today’s notes to finish in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('lists the draft and links the day’s appointments to New note, at both sizes', async () => {
    const world = await panelWorld({ patients: 3 });
    cleanups.push(() => world.stop());
    const doctor = { type: 'staff' as const, id: world.clinic.practitionerIds[0]! };
    const soap = (await world.app.deps.templates.list(doctor)).find((t) => t.name === 'SOAP note')!;
    world.app.clock.advance(-24 * 3600_000);
    try {
      await world.app.deps.notes.create(doctor, world.clinic.patientIds[0]!, { templateId: soap.id });
    } finally {
      world.app.clock.advance(24 * 3600_000);
    }
    await world.book({ practitioner: 1, patient: 2, time: '14:00' });
    await world.book({ practitioner: 1, patient: 3, time: '15:00' });
    const browser = await launchChromium(cleanups);
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await signedInStaffPage(browser, world.app, world.base, 'p1@clinic.example', { viewport });
      const errors = pageErrors(page);
      await page.goto(`${world.base}/staff`);
      await page.getByRole('heading', { name: 'Notes to finish (1)' }).waitFor();
      expect(await page.getByRole('link', { name: /^Write note: / }).count()).toBe(2);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: join(screenshotDir, `today-notes-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
    }
  });
});
