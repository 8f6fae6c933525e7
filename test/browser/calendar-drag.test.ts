import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { bookAppointment } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { type CalendarWorld, servedCalendar } from './calendar-world.ts';
import { pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';

/**
 * Drag an appointment to move it (issue 15, item 9), with a real mouse in Chromium: to another
 * time and practitioner in the day view, to another day in the week view. The move goes through
 * the move endpoint with the version the page showed; afterwards the grid and the panel show the
 * new state. A refused move (the time is taken; the appointment was changed meanwhile) says why
 * in the panel and the block is not moved: it stays where it was, or shows where it now really
 * is. A plain click still opens the panel, whose Move form stays.
 */

const zone = 'Europe/London';

/** Drags the block `id` so that its top edge lands at local `time` in the column `th`. */
async function dragTo(page: Page, id: string, column: string, time: string) {
  const block = (await page.locator(`#appt-${id}`).boundingBox())!;
  const row = (await page.locator(`table.calendar tbody tr[data-min="${minutesOf(time)}"]`).boundingBox())!;
  const th = (await page.locator(column).boundingBox())!;
  const grab = { x: block.x + block.width / 2, y: block.y + 6 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  const to = { x: th.x + th.width / 2, y: row.y + 6 };
  await page.mouse.move(grab.x + 10, grab.y + 10, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The block's top edge against the axis row of `time` (rows start on the quarter hour), both read
 * in one step: the page may scroll between two separate reads (the panel's alert after a refusal),
 * which once made a block that had not moved look 15.5 px off on a loaded CI machine.
 */
async function topOffset(page: Page, id: string, time: string) {
  await page.locator(`#appt-${id}`).waitFor();
  return page.evaluate(
    ([block, row]) => {
      const top = (selector: string) => document.querySelector(selector)!.getBoundingClientRect().top;
      return Math.abs(top(block) - top(row));
    },
    [`#appt-${id}`, `table.calendar tbody tr[data-min="${minutesOf(time)}"]`] as const,
  );
}

describe.skipIf(skipBrowserTests)('drag an appointment to move it', () => {
  const cleanups = cleanupsAfterAll();

  let world: CalendarWorld;
  const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');

  beforeAll(async () => {
    world = await servedCalendar(cleanups, 'calendar-drag', {
      timeZone: zone,
      practitioners: 2,
      patients: 3,
    });
  }, 120_000);

  /** Books patient `patient` (an index) at local `time` of the test day with `practitioner`. */
  const book = (patient: number, time: string, practitioner: string) =>
    bookAppointment(world.app, world.clinic, world.clinic.patientIds[patient]!, world.at(time), practitioner);
  const desk = { actor: { ...systemActor, type: 'staff' as const, id: '' }, role: 'reception' as const };
  const get = (id: string) =>
    world.app.deps.appointments.get({ ...desk, actor: { ...desk.actor, id: world.clinic.receptionId } }, id);

  it('moves to another time and practitioner in the day view; a refused move leaves the block', async () => {
    const [p1, p2] = world.clinic.practitionerIds as [string, string];
    const moved = await book(0, '09:00', p1);
    await book(1, '11:00', p1);
    const page = await world.staffPage('bo@clinic.example', { width: 1280, height: 900 });
    // The refused moves answer 409 on purpose.
    const errors = pageErrors(page, { console: { except: /status of 409/ } });
    await page.goto(`${world.base}/staff/calendar?view=day&date=${world.date}`);
    const panel = page.locator('#panel');

    // A plain click still opens the panel, with its Move form.
    await page.locator(`#appt-${moved.id}`).click();
    await panel.getByRole('heading', { name: 'Pat1 Ient1' }).waitFor();
    await panel.getByText('Move', { exact: true }).waitFor();

    // 09:00 with Dr P1 → 10:30 with Dr P2.
    await dragTo(page, moved.id, `th[data-practitioner="${p2}"]`, '10:30');
    await page.getByRole('link', { name: /^10:30 Pat1 Ient1/ }).waitFor();
    expect(await page.getByRole('link', { name: /^09:00 Pat1 Ient1/ }).count()).toBe(0);
    const now = await get(moved.id);
    expect([local(now.startAt), now.practitionerId]).toEqual([`${world.date} 10:30`, p2]);
    // Drawn at 10:30 in Dr P2's column, and the panel shows it there.
    expect(await topOffset(page, moved.id, '10:30')).toBeLessThanOrEqual(2);
    const block = (await page.locator(`#appt-${moved.id}`).boundingBox())!;
    const column = (await page.locator(`th[data-practitioner="${p2}"]`).boundingBox())!;
    expect(block.x).toBeGreaterThanOrEqual(column.x - 1);
    expect(block.x + block.width).toBeLessThanOrEqual(column.x + column.width + 1);
    await panel.getByText('Dr P2').first().waitFor();
    // caret 'initial': hiding the caret leaves style="" on every input, which htmx's next swap
    // copies and the CSP then refuses (a console error that is the screenshot's, not the page's).
    await page.screenshot({
      path: join(screenshotDir, 'calendar-drag-moved.png'),
      fullPage: true,
      caret: 'initial',
    });

    // Onto 11:00 with Dr P1, which is taken: refused, said in the panel, the block stays.
    await dragTo(page, moved.id, `th[data-practitioner="${p1}"]`, '11:00');
    await panel
      .getByRole('alert')
      .filter({ hasText: /overlaps|taken/ })
      .waitFor();
    expect(await topOffset(page, moved.id, '10:30')).toBeLessThanOrEqual(2);
    const still = (await page.locator(`#appt-${moved.id}`).boundingBox())!;
    expect([still.x, still.width, still.height]).toEqual([block.x, block.width, block.height]);
    const after = await get(moved.id);
    expect([local(after.startAt), after.practitionerId, after.version]).toEqual([
      `${world.date} 10:30`,
      p2,
      now.version,
    ]);
    await page.screenshot({ path: join(screenshotDir, 'calendar-drag-refused.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('sends the version the page showed: a change made meanwhile refuses the drag', async () => {
    const [p1] = world.clinic.practitionerIds as [string];
    const appt = await book(2, '14:00', p1);
    const page = await world.staffPage('bo@clinic.example', { width: 1280, height: 900 });
    const errors = pageErrors(page, { console: { except: /status of 409/ } });
    await page.goto(`${world.base}/staff/calendar?view=day&date=${world.date}`);
    await page.locator(`#appt-${appt.id}`).waitFor();
    // Someone else moves it to 15:00 after the page was drawn.
    await world.app.deps.appointments.move(
      { ...desk, actor: { ...desk.actor, id: world.clinic.receptionId } },
      appt.id,
      {
        start: world.at('15:00'),
      },
    );
    await dragTo(page, appt.id, `th[data-practitioner="${p1}"]`, '16:00');
    await page
      .locator('#panel')
      .getByRole('alert')
      .filter({ hasText: /changed meanwhile/ })
      .waitFor();
    expect(local((await get(appt.id)).startAt)).toBe(`${world.date} 15:00`);
    // Not moved to 16:00: the grid shows it where it is now (the refusal reloads it).
    await expect.poll(() => topOffset(page, appt.id, '15:00'), { timeout: 30_000 }).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  }, 120_000);

  it('moves to another day in the week view', async () => {
    const [p1] = world.clinic.practitionerIds as [string];
    const tuesday = DateTime.fromISO(world.date).plus({ days: 1 }).toISODate()!;
    const appt = await book(0, '16:00', p1);
    // Tall enough for 16:00 and 09:15 to be on screen together (the mouse drags in the viewport).
    const page = await world.staffPage('bo@clinic.example', { width: 1280, height: 1400 });
    const errors = pageErrors(page);
    await page.goto(`${world.base}/staff/calendar?view=week&date=${world.date}&practitioner=${p1}`);
    await dragTo(page, appt.id, `th[data-practitioner="${p1}"][data-date="${tuesday}"]`, '09:15');
    await page.getByRole('link', { name: /^09:15 Pat1 Ient1/ }).waitFor();
    expect(local((await get(appt.id)).startAt)).toBe(`${tuesday} 09:15`);
    const block = (await page.locator(`#appt-${appt.id}`).boundingBox())!;
    const column = (await page.locator(`th[data-date="${tuesday}"]`).boundingBox())!;
    expect(block.x).toBeGreaterThanOrEqual(column.x - 1);
    expect(block.x + block.width).toBeLessThanOrEqual(column.x + column.width + 1);
    expect(await topOffset(page, appt.id, '09:15')).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  }, 120_000);
});
