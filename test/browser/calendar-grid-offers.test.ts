import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { bookAppointment } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { type CalendarWorld, servedCalendar } from './calendar-world.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { signedInStaffPage, staffChromiumPage } from './signed-in-page.ts';

/**
 * What the grid offers and how it looks (issue 15, items 4 and 10): a practitioner is offered free
 * times, the booking form's practitioners and drag handles only in their own calendar (reception
 * everywhere); each practitioner's calendar colour is drawn on the grid; the week shows Sunday,
 * in view, once the clinic opens on Sundays.
 */
describe.skipIf(skipBrowserTests)('the calendar grid offers only what the member may do', () => {
  const cleanups = cleanupsAfterAll();

  let world: CalendarWorld;
  let p1: string;
  let p2: string;
  let theirs: string;

  beforeAll(async () => {
    world = await servedCalendar(cleanups, 'calendar-offers', { practitioners: 2, patients: 2 });
    const { app, clinic, at } = world;
    [p1, p2] = clinic.practitionerIds as [string, string];
    await bookAppointment(app, clinic, clinic.patientIds[0]!, at('10:00'), p1);
    theirs = (await bookAppointment(app, clinic, clinic.patientIds[1]!, at('10:00'), p2)).id;
    // Dr P2's calendar colour.
    const view = await app.deps.practitioners.get(p2);
    const hours = '09:00-12:00, 13:00-17:00';
    await app.deps.practitioners.save(systemActor, p2, {
      ...view.profile!,
      colour: '#aa3377',
      serviceIds: view.serviceIds,
      hours: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: '', 7: '' },
    });
  }, 120_000);

  it('offers a practitioner free times, booking and moves only in their own column; reception everywhere', async () => {
    const { browser, page } = await staffChromiumPage(cleanups, world.app, world.base, 'p1@clinic.example');
    await page.goto(`${world.base}/staff/calendar?view=day&date=${world.date}`);
    await page.getByRole('link', { name: 'Book 09:00 with Dr P1' }).waitFor();
    expect(await page.getByRole('link', { name: /^Book .* with Dr P2$/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Book .* with Dr P1$/ }).count()).toBeGreaterThan(20);
    // Their own appointment may be dragged; Dr P2's may not.
    expect(await page.locator(`#appt-${theirs}`).getAttribute('data-movable')).toBeNull();
    expect(await page.locator('a.appt[data-movable]').count()).toBe(1);
    // The booking form, even asked for Dr P2's column, offers only Dr P1.
    await page.goto(`${world.base}/staff/calendar/new?practitionerId=${p2}&date=${world.date}&time=09:00`);
    const withWhom = page.getByLabel('With');
    expect(await withWhom.locator('option').allTextContents()).toEqual(['Dr P1']);
    expect(await seriousA11yViolations(page)).toEqual([]);

    const desk = await signedInStaffPage(browser, world.app, world.base, 'bo@clinic.example', {
      viewport: { width: 1280, height: 800 },
    });
    await desk.goto(`${world.base}/staff/calendar?view=day&date=${world.date}`);
    await desk.getByRole('link', { name: 'Book 09:00 with Dr P2' }).waitFor();
    await desk.getByRole('link', { name: 'Book 09:00 with Dr P1' }).waitFor();
    expect(await desk.locator('a.appt[data-movable]').count()).toBe(2);
  }, 90_000);

  it("draws each practitioner's calendar colour by the name and on the blocks", async () => {
    const page = await world.staffPage('bo@clinic.example');
    await page.goto(`${world.base}/staff/calendar?view=day&date=${world.date}`);
    const fill = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((e) => getComputedStyle(e).fill);
    expect(await fill(`th[data-practitioner="${p2}"] .swatch rect`)).toBe('rgb(170, 51, 119)');
    expect(await fill(`#appt-${theirs} .appt-colour rect`)).toBe('rgb(170, 51, 119)');
    expect(await fill(`th[data-practitioner="${p1}"] .swatch rect`)).toBe('rgb(51, 102, 204)');
    // Drawn, not hidden: the stripe has a size on screen.
    const stripe = await page.locator(`#appt-${theirs} .appt-colour`).boundingBox();
    expect(stripe!.width).toBeGreaterThanOrEqual(3);
    expect(stripe!.height).toBeGreaterThan(20);
  }, 90_000);

  it('shows Sunday in the week, in view, when the clinic opens on Sundays; not when it does not', async () => {
    const page = await world.staffPage('bo@clinic.example');
    const headers = () => page.locator('table.calendar thead th[scope="colgroup"]').allTextContents();
    await page.goto(`${world.base}/staff/calendar?view=week&date=${world.date}&practitioner=${p1}`);
    expect((await headers()).map((h) => h.slice(0, 3))).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);

    // Dr P2 now works on Sundays: the clinic opens then.
    const view = await world.app.deps.practitioners.get(p2);
    const hours = '09:00-12:00, 13:00-17:00';
    await world.app.deps.practitioners.save(systemActor, p2, {
      ...view.profile!,
      serviceIds: view.serviceIds,
      hours: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: '', 7: '10:00-14:00' },
    });
    await page.goto(`${world.base}/staff/calendar?view=week&date=${world.date}&practitioner=${p1}`);
    expect((await headers()).map((h) => h.slice(0, 3))).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sun']);
    // Sunday is in view, not cut off by the calendar's scroll box.
    const sunday = await page.locator('table.calendar thead th[scope="colgroup"]').last().boundingBox();
    const box = await page.locator('.calendar-scroll').boundingBox();
    expect(sunday!.x + sunday!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
    expect(sunday!.x + sunday!.width).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: join(screenshotDir, 'calendar-grid-week-sunday.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
  }, 90_000);
});
