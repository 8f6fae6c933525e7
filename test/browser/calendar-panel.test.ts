import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { markPage, type PanelWorld, panelWorld } from './calendar-panel-world.ts';
import { launchChromium, pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';

/**
 * The calendar's side panel in Chromium (issue 15): its actions change the grid and the panel in
 * place (item 1), an appointment opened from a link shows its own day (item 3), the keyboard
 * reaches and leaves the panel (item 5), the "booked" notice is where the member looks (item 10)
 * and the reason for the visit is shown (item 20).
 */
describe.skipIf(skipBrowserTests)('the calendar side panel in a real browser', () => {
  const cleanups = cleanupsAfterAll();
  let world: PanelWorld;
  let browser: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    world = await panelWorld();
    cleanups.push(() => world.stop());
    // Today (Wednesday, the clock at 10:00): what the tests act on.
    ids.arrive = await world.book({ practitioner: 1, patient: 1, time: '09:00' });
    ids.move = await world.book({ practitioner: 2, patient: 3, time: '09:30' });
    ids.taken = await world.book({ practitioner: 2, patient: 1, time: '11:30' });
    ids.request = await world.request({ practitioner: 2, patient: 2, time: '10:30' });
    ids.reason = await world.book({
      practitioner: 1,
      patient: 4,
      time: '13:00',
      reason: 'Sore left knee after running',
    });
    // Friday: a patient's request, listed in the Inbox.
    const friday = DateTime.fromISO(world.today).plus({ days: 2 }).toISODate()!;
    ids.friday = await world.request({ practitioner: 1, patient: 2, time: '10:00', date: friday });
    browser = await launchChromium(cleanups);
  }, 60_000);

  const calendarUrl = () => `${world.base}/staff/calendar?view=day&date=${world.today}`;
  const block = (page: Page, name: RegExp) => page.locator('table.calendar').getByRole('link', { name });
  const status = (page: Page) => page.locator('#panel dd.status-text');

  it('marks arrived, completed, approves, moves and cancels in place; a refusal shows by its control until a success', async () => {
    const page = await world.receptionPage(browser);
    const errors = pageErrors(page, { console: { except: /status of 409/ } });
    await page.goto(calendarUrl());
    const samePage = await markPage(page);
    const panel = page.locator('#panel');

    // Arrived, then completed: the block and the panel follow, no reload.
    await block(page, /09:00 Pat1 Ient1/).click();
    await panel.getByRole('heading', { name: 'Pat1 Ient1' }).waitFor();
    await panel.getByRole('button', { name: 'Mark arrived' }).click();
    await block(page, /09:00 Pat1 Ient1.*\(arrived\)/).waitFor();
    await status(page).filter({ hasText: 'Arrived' }).waitFor();
    await panel.getByRole('button', { name: 'Mark completed' }).click();
    await block(page, /09:00 Pat1 Ient1.*\(completed\)/).waitFor();
    await status(page).filter({ hasText: 'Completed' }).waitFor();
    expect(await samePage()).toBe(true);
    expect(await page.locator('table.calendar').count()).toBe(1);

    // A patient's request approved.
    await block(page, /10:30 Pat2 Ient2.*\(requested\)/).click();
    await panel.getByRole('button', { name: 'Approve' }).click();
    await block(page, /10:30 Pat2 Ient2.*\(booked\)/).waitFor();
    await status(page).filter({ hasText: 'Booked' }).waitFor();

    // A move onto a taken time is refused beside the Move form, which keeps what was typed; the
    // move to a free time then succeeds and the error is gone.
    await block(page, /09:30 Pat3 Ient3/).click();
    await panel.getByRole('heading', { name: 'Pat3 Ient3' }).waitFor();
    await panel.getByText('Move', { exact: true }).click();
    const move = panel.getByRole('form', { name: 'Move' });
    await move.getByLabel('Time').fill('11:30');
    await move.getByRole('button', { name: 'Move appointment' }).click();
    await move.getByRole('alert').waitFor();
    expect(await move.getByLabel('Time').inputValue()).toBe('11:30');
    expect(await panel.getByRole('alert').count()).toBe(1);
    // caret: 'initial' — hiding the caret injects a style the page's CSP reports.
    await page.screenshot({ path: join(screenshotDir, 'calendar-panel-refused.png'), caret: 'initial' });
    await move.getByLabel('Time').fill('14:00');
    await move.getByRole('button', { name: 'Move appointment' }).click();
    await block(page, /14:00 Pat3 Ient3/).waitFor();
    expect(await block(page, /09:30 Pat3 Ient3/).count()).toBe(0);
    await panel.getByText(/14:00/).first().waitFor();
    expect(await panel.getByRole('alert').count()).toBe(0);

    // Cancelled: off the grid, the panel says so.
    await panel.getByText('Cancel', { exact: true }).click();
    await panel.getByRole('button', { name: 'Cancel appointment' }).click();
    await status(page).filter({ hasText: 'Cancelled' }).waitFor();
    await expectGone(block(page, /14:00 Pat3 Ient3.*\(booked\)/));
    expect(await samePage()).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a status refused because the appointment changed meanwhile says so beside the buttons; the next step clears it', async () => {
    const id = await world.book({ practitioner: 2, patient: 4, time: '09:00' });
    const page = await world.receptionPage(browser);
    const errors = pageErrors(page, { console: { except: /status of 409/ } });
    await page.goto(calendarUrl());
    const panel = page.locator('#panel');
    await page.locator(`#appt-${id}`).click();
    await panel.getByRole('heading', { name: 'Pat4 Ient4' }).waitFor();
    // Another desk marks a no-show meanwhile.
    const { version } = await world.app.deps.appointments.get(world.reception, id);
    await world.app.deps.appointments.setStatus(world.reception, id, 'no_show', version);
    await panel.getByRole('button', { name: 'Mark arrived' }).click();
    const actions = panel.locator('.actions');
    await panel.locator('.actions + [role=alert], [role=alert] + .actions').first().waitFor();
    await status(page).filter({ hasText: 'No-show' }).waitFor();
    await block(page, /09:00 Pat4 Ient4.*\(no-show\)/).waitFor();
    await actions.getByRole('button', { name: 'Undo no-show' }).click();
    await status(page).filter({ hasText: 'Booked' }).waitFor();
    expect(await panel.getByRole('alert').count()).toBe(0);
    await block(page, /09:00 Pat4 Ient4.*\(booked\)/).waitFor();
    expect(errors).toEqual([]);
  }, 90_000);

  it('a move to another day stays in place in the week view; from the day view the page goes to that day', async () => {
    const id = await world.book({ practitioner: 1, patient: 2, time: '15:30' });
    const thursday = DateTime.fromISO(world.today).plus({ days: 1 }).toISODate()!;
    const friday = DateTime.fromISO(world.today).plus({ days: 2 }).toISODate()!;
    const p1 = world.clinic.practitionerIds[0]!;
    const page = await world.receptionPage(browser);
    const errors = pageErrors(page);
    const panel = page.locator('#panel');
    const moveTo = async (date: string) => {
      await page.locator(`#appt-${id}`).click();
      await panel.getByRole('heading', { name: 'Pat2 Ient2' }).waitFor();
      await panel.getByText('Move', { exact: true }).click();
      await panel.getByRole('form', { name: 'Move' }).getByLabel('Date').fill(date);
      await panel.getByRole('button', { name: 'Move appointment' }).click();
    };

    // The week view shows Thursday too: the block moves there, no reload.
    await page.goto(`${world.base}/staff/calendar?view=week&date=${world.today}&practitioner=${p1}`);
    const samePage = await markPage(page);
    await moveTo(thursday);
    await panel.getByRole('status').filter({ hasText: 'The appointment is moved.' }).waitFor();
    await panel
      .getByText(/Thursday/)
      .first()
      .waitFor();
    await page.locator(`table.calendar #appt-${id}`).waitFor();
    expect(await samePage()).toBe(true);

    // The day view of Thursday: moved to Friday, the page follows it there.
    await page.goto(`${world.base}/staff/calendar?view=day&date=${thursday}`);
    await moveTo(friday);
    await page.waitForURL((url) => url.searchParams.get('date') === friday);
    await page.locator(`table.calendar #appt-${id}`).waitFor();
    await panel.getByRole('status').filter({ hasText: 'The appointment is moved.' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Friday/);
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows the reason for the visit when one was given', async () => {
    const page = await world.receptionPage(browser);
    await page.goto(calendarUrl());
    const panel = page.locator('#panel');
    await page.locator(`#appt-${ids.reason}`).click();
    await panel.getByRole('heading', { name: 'Pat4 Ient4' }).waitFor();
    const reason = panel.locator('dt', { hasText: 'Reason for visit' });
    await reason.waitFor();
    expect(await reason.locator('xpath=following-sibling::dd[1]').textContent()).toBe(
      'Sore left knee after running',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'calendar-panel-desktop.png') });
  }, 60_000);

  it('an appointment opened from the Inbox shows its own day behind the panel', async () => {
    const page = await world.receptionPage(browser);
    await page.goto(`${world.base}/staff/inbox`);
    await page.locator(`a[href="/staff/appointments/${ids.friday}"]`).first().click();
    await page.locator('#panel').getByRole('heading', { name: 'Pat2 Ient2' }).waitFor();
    await page.locator(`table.calendar #appt-${ids.friday}`).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Friday/);
  }, 60_000);

  it('Enter on a free time moves focus into the booking panel; Escape closes it and goes back', async () => {
    const page = await world.receptionPage(browser);
    await page.goto(calendarUrl());
    const panel = page.locator('#panel');
    const freeTime = page.getByRole('link', { name: 'Book 15:00 with Dr P1' });
    await freeTime.focus();
    await page.keyboard.press('Enter');
    await panel.getByRole('heading', { name: 'New appointment' }).waitFor();
    await expect.poll(() => focusInPanel(page)).toBe(true);
    await page.keyboard.press('Escape');
    await expectGone(panel.getByRole('heading', { name: 'New appointment' }));
    await expect.poll(() => focusedName(page)).toBe('Book 15:00 with Dr P1');

    // The same with an appointment.
    await page.locator(`#appt-${ids.reason}`).focus();
    await page.keyboard.press('Enter');
    await panel.getByRole('heading', { name: 'Pat4 Ient4' }).waitFor();
    await expect.poll(() => focusInPanel(page)).toBe(true);
    await page.keyboard.press('Escape');
    await expectGone(panel.getByRole('heading', { name: 'Pat4 Ient4' }));
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`appt-${ids.reason}`);
  }, 60_000);

  it('on a phone, the booked notice shows in the panel, in view, and the grid gets the appointment', async () => {
    const page = await world.receptionPage(browser, { width: 390, height: 844 });
    const errors = pageErrors(page);
    await page.goto(calendarUrl());
    const panel = page.locator('#panel');
    await page.getByRole('link', { name: 'Book 16:00 with Dr P2' }).click();
    await panel.getByRole('heading', { name: 'New appointment' }).waitFor();
    await panel.getByLabel('Find a patient').pressSequentially('pat2', { delay: 30 });
    await panel.getByRole('radio', { name: /Pat2 Ient2/ }).check();
    await panel.getByRole('button', { name: 'Book' }).click();
    const notice = panel.getByRole('status').filter({ hasText: 'The appointment is booked.' });
    await notice.waitFor();
    await expect.poll(() => inViewport(page, '#panel [role=status]')).toBe(true);
    await block(page, /16:00 Pat2 Ient2/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'calendar-panel-phone.png') });
    expect(errors).toEqual([]);
  }, 90_000);
});

async function expectGone(locator: ReturnType<Page['locator']>) {
  await locator.first().waitFor({ state: 'detached', timeout: 10_000 });
}

const focusInPanel = (page: Page) =>
  page.evaluate(() => {
    const panel = document.getElementById('panel');
    return !!panel && panel !== document.activeElement && panel.contains(document.activeElement);
  });

/** The focused element's text as a screen reader names a link (its visible and hidden text). */
const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim());

const inViewport = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect();
    return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
  }, selector);
