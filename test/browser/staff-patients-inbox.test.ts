import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { patientOnRecord } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageShots, screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * The receptionist's Patients list and Inbox in Debian Chromium, with the keyboard only: the
 * navigation, search as you type (htmx), opening a chart, and approving a patient's request from
 * the Inbox. axe-core checks each screen, at a tablet's size. The list with long names and
 * emails must not make the page scroll sideways at a laptop's or a phone's size.
 */
describe.skipIf(skipBrowserTests)('Patients and the Inbox in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  /** Tabs forward until the focused element's text is `name`, then presses Enter. */
  async function tabTo(page: Page, name: string) {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
      if (focused === name) return page.keyboard.press('Enter');
    }
    throw new Error(`no focusable "${name}" within 40 tabs`);
  }

  it('finds a patient and approves a request, by keyboard', async () => {
    const { app, base, clinic } = await servedClinic(cleanups, 'inbox', {
      practitioners: 2,
      patients: 30,
      service: { requiresApproval: true },
    });

    // A patient asks for next Monday 09:00 in Paris: a request awaiting approval.
    const start = DateTime.now().setZone('Europe/Paris').startOf('week').plus({ weeks: 1, hours: 9 });
    const asked = await app.deps.appointments.book(
      { actor: { type: 'patient', id: clinic.patientIds[3]! } },
      {
        serviceId: clinic.serviceId,
        practitionerId: clinic.practitionerIds[0]!,
        start: start.toUTC().toISO()!,
      },
    );
    expect(asked.appointment.status).toBe('requested');

    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'bo@clinic.example', {
      viewport: { width: 1024, height: 768 },
    });

    await page.goto(`${base}/staff`);

    // The navigation, by keyboard, to Patients; a search as you type replaces only the results.
    await tabTo(page, 'Patients');
    await page.waitForURL(`${base}/staff/patients`);
    expect(await page.locator('#patient-list a[href^="/staff/patients/"]').count()).toBe(25);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('searchbox', { name: 'Find a patient' }).pressSequentially('ient4', { delay: 30 });
    await page.locator('#patient-list').getByRole('link', { name: 'Ient4, Pat4' }).waitFor();
    await expect.poll(() => page.locator('#patient-list a[href^="/staff/patients/"]').count()).toBe(1);
    expect(page.url()).toBe(`${base}/staff/patients`); // htmx: the page stayed
    await page.screenshot({ path: join(screenshotDir, 'staff-patients.png'), fullPage: true });
    await tabTo(page, 'Ient4, Pat4');
    await page.waitForURL(new RegExp(`/staff/patients/${clinic.patientIds[3]}$`));
    await page
      .getByRole('heading', { name: /Pat4 Ient4/ })
      .first()
      .waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The Inbox lists the request; its link opens the appointment, where Approve books it.
    await tabTo(page, 'Inbox');
    await page.waitForURL(`${base}/staff/inbox`);
    await page.getByRole('heading', { name: 'Appointment requests to approve (1)' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'staff-inbox.png'), fullPage: true });
    await tabTo(page, 'Pat4 Ient4');
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    await page.getByRole('button', { name: 'Approve' }).focus();
    await page.keyboard.press('Enter');
    // Approving changes the panel in place, over the appointment's day (issue 15, items 1 and 3).
    await page.getByRole('button', { name: 'Approve' }).waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/\/staff\/appointments\/[\w-]+\?view=day&date=/);
    await expect
      .poll(
        async () =>
          (
            await app.deps.appointments.get(
              { actor: { type: 'patient', id: clinic.patientIds[3]! } },
              asked.appointment.id,
            )
          ).status,
      )
      .toBe('booked');
    await page.goto(`${base}/staff/inbox`);
    await page.getByRole('heading', { name: 'Appointment requests to approve (0)' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('lists patients with long names and addresses without the page scrolling sideways', async () => {
    const { app, base } = await servedClinic(cleanups, 'patients-narrow', { patients: 3 });
    await patientOnRecord(app, {
      firstName: 'Maximiliane-Théodora',
      lastName: 'Vandenberghe-Oosterhuizen',
      email: 'maximiliane.theodora.vandenberghe-oosterhuizen@physiotherapie-example.org',
      phone: '+33 6 12 34 56 78',
    });
    await patientOnRecord(app, { firstName: 'Jo', lastName: 'Li', email: 'jo.li@example.org' });
    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'bo@clinic.example', {
      viewport: { width: 1366, height: 768 },
    });
    await page.goto(`${base}/staff/patients`);
    await page.getByRole('link', { name: 'Vandenberghe-Oosterhuizen, Maximiliane-Théodora' }).waitFor();
    await checkAtBothSizes(page, 'patients-list');
    expect(errors).toEqual([]);
  });
});

const { checkAtBothSizes } = pageShots('staff-');
