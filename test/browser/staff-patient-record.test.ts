import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { type PanelWorld, panelWorld } from './calendar-panel-world.ts';
import { launchChromium, pageErrors, pageShots, skipBrowserTests } from './chromium.ts';
import { signedInStaffPage } from './signed-in-page.ts';

/**
 * Issue 17 item 1 in Chromium: a practitioner adds an allergy on the chart (the banner shows it,
 * and so does the calendar's appointment panel, for reception too), edits the record (saved,
 * kept in History), and a change from another tab meanwhile is refused with the record as it is
 * now. Desktop and phone sizes, axe-core on each screen.
 */
describe.skipIf(skipBrowserTests)('the chart’s record: alerts, editing, history', () => {
  const cleanups = cleanupsAfterAll();
  let world: PanelWorld;
  let browser: Browser;

  beforeAll(async () => {
    world = await panelWorld({ patients: 2 });
    cleanups.push(() => world.stop());
    browser = await launchChromium(cleanups);
  }, 60_000);
  afterAll(() => undefined);

  it('adds an allergy (banner on the chart and in the panel), edits the record, refuses a stale edit', async () => {
    const patientId = world.clinic.patientIds[0]!;
    const appointmentId = await world.book({ practitioner: 1, patient: 1, time: '11:00' });
    await world.book({ practitioner: 1, patient: 1, time: '09:00' });
    const page = await signedInStaffPage(browser, world.app, world.base, 'p1@clinic.example', {
      viewport: { width: 1280, height: 800 },
    });
    const errors = pageErrors(page, { console: { except: /status of (409|422)/ } });
    const chart = `${world.base}/staff/patients/${patientId}`;
    await page.goto(chart);
    expect(await page.locator('section.alerts-banner').count()).toBe(0);

    // An allergy, high: the banner at the top shows it.
    const alerts = page.getByRole('region', { name: 'Alerts' }).filter({ has: page.locator('#h-alerts') });
    await alerts.getByText('Add an alert').click();
    await alerts.getByLabel('Kind').selectOption('allergy');
    await alerts.getByLabel('Alert', { exact: true }).fill('Penicillin — anaphylaxis');
    await alerts.getByLabel('Severity').selectOption('high');
    await alerts.getByRole('button', { name: 'Add the alert' }).click();
    await page.getByText('The alert was added.').waitFor();
    const banner = page.locator('section.alerts-banner');
    expect(await banner.textContent()).toContain('Allergy (high): Penicillin — anaphylaxis');

    // Appointments: the one at 09:00 is past, 11:00 upcoming.
    const appointments = page.getByRole('region', { name: 'Appointments' });
    expect(await appointments.textContent()).toMatch(
      /Upcoming[\s\S]*11:00[\s\S]*booked[\s\S]*Past[\s\S]*09:00/,
    );

    // Edit: a new last name, an emergency contact and an identifier.
    const edit = page.getByRole('region', { name: 'Edit the record' });
    await edit.getByText('Change details').click();
    await edit.getByLabel('Last name').fill('Renamed');
    await edit.getByRole('group', { name: 'Emergency contact' }).getByLabel('Name').fill('Sam Carer');
    await edit
      .getByRole('group', { name: 'Emergency contact' })
      .getByLabel('Phone')
      .fill('+33 6 12 34 56 78');
    await edit.getByLabel('Identifier 1: type').selectOption('insurance');
    await edit.getByLabel('Number').first().fill('INS-123');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'record-edit-desktop');
    await edit.getByRole('button', { name: 'Save the record' }).click();
    await page.getByText('The record was saved.').waitFor();
    await page
      .getByRole('heading', { name: /Renamed/ })
      .first()
      .waitFor();
    expect(await page.locator('dl.details').textContent()).toMatch(/Sam Carer[\s\S]*Insurance: INS-123/);
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText(/changes?$/).click();
    const row = history.getByRole('row').filter({ hasText: 'Last name' });
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual([
      'Practitioner 1',
      'Last name',
      'Ient1',
      'Renamed',
    ]);

    // Another tab changes the record meanwhile: this tab's save is refused, nothing of it saved.
    await page.getByRole('region', { name: 'Edit the record' }).getByText('Change details').click();
    await world.app.deps.patients.update(world.reception.actor, patientId, {
      version: 2,
      address: 'Elsewhere',
    });
    await page.getByRole('region', { name: 'Edit the record' }).getByLabel('First name').fill('Clobber');
    await page
      .getByRole('region', { name: 'Edit the record' })
      .getByRole('button', { name: 'Save the record' })
      .click();
    await page.getByText(/changed elsewhere meanwhile/).waitFor();
    expect(
      await page.getByRole('region', { name: 'Edit the record' }).getByLabel('First name').inputValue(),
    ).not.toBe('Clobber');
    const stored = await world.app.deps.patients.get(world.reception.actor, patientId);
    expect(stored).toMatchObject({ firstName: 'Pat1', address: 'Elsewhere', version: 3 });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(chart);
    await shot(page, 'record-chart-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(chart);
    await shot(page, 'record-chart-desktop');

    // Reception sees the allergy in the calendar's panel.
    const desk = await world.receptionPage(browser);
    await desk.goto(`${world.base}/staff/calendar?view=day&date=${world.today}`);
    await desk
      .locator('table.calendar')
      .getByRole('link', { name: /11:00 Pat1 Renamed/ })
      .click();
    const panel = desk.locator('#panel');
    await panel.locator(`[data-appointment="${appointmentId}"]`).waitFor();
    await panel.locator('section.alerts-banner').waitFor();
    expect(await panel.locator('section.alerts-banner').textContent()).toContain('Penicillin');
    expect(await seriousA11yViolations(desk)).toEqual([]);
    await desktopThenPhone(desk, 'record-panel');

    // An archived record: out of the list, back with "Show archived", marked so.
    await world.app.deps.patients.archive(world.reception.actor, world.clinic.patientIds[1]!);
    await desk.setViewportSize({ width: 1280, height: 800 });
    await desk.goto(`${world.base}/staff/patients`);
    expect(await desk.getByRole('link', { name: 'Ient2, Pat2' }).count()).toBe(0);
    await desk.getByLabel('Show archived').check();
    await desk.getByRole('button', { name: 'Search' }).click();
    await desk.getByRole('link', { name: 'Ient2, Pat2' }).waitFor();
    expect(await desk.locator('#patient-list').textContent()).toContain('(archived)');
    expect(await seriousA11yViolations(desk)).toEqual([]);
    await shot(desk, 'record-list-archived-desktop');
    expect(errors).toEqual([]);
  }, 180_000);
});

const { shot, desktopThenPhone } = pageShots('staff-');
