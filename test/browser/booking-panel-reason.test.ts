import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { addService, savePractitionerProfile } from '../../src/testing/factories.ts';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { signedInStaffPage, staffChromiumPage } from './signed-in-page.ts';

/**
 * A reason for the visit at a staff booking (issue 15, item 20): the admin ticks "Ask for a reason
 * for the visit" on a service in Settings → Services; the calendar's booking form then shows the
 * reason field for that service only, and the reason typed is kept with the appointment.
 */

/** The machine is loaded: a poll waits up to 15 s. */
const POLL = { timeout: 15_000 };

describe.skipIf(skipBrowserTests)('the reason for the visit in a real browser', () => {
  const cleanups = cleanupsAfterEach();

  it('is asked per service from Settings → Services, shown in the booking form only for such a service, and kept', async () => {
    const { app, base, clinic } = await servedClinic(cleanups, 'booking-reason', {
      practitioners: 1,
      patients: 1,
    });
    const [p1] = clinic.practitionerIds as [string];
    const massage = await addService(app, { name: 'Sports massage', durationMin: 45 });
    await savePractitionerProfile(app, p1, 'Dr P1', [clinic.serviceId, massage.id], '09:00-17:00');

    // The admin asks for a reason for physiotherapy.
    const {
      browser,
      page: admin,
      errors: adminErrors,
    } = await staffChromiumPage(cleanups, app, base, 'ada@clinic.example', { errors: { console: {} } });
    await admin.goto(`${base}/staff/settings/services/${clinic.serviceId}`);
    const ask = admin.getByLabel('Ask for a reason for the visit');
    expect(await ask.isChecked()).toBe(false);
    expect(await seriousA11yViolations(admin)).toEqual([]);
    await ask.check();
    await admin.getByRole('button', { name: 'Save service' }).click();
    await admin.waitForURL(`${base}/staff/settings/services/${clinic.serviceId}`);
    expect(await admin.getByLabel('Ask for a reason for the visit').isChecked()).toBe(true);
    expect((await app.deps.services.get(clinic.serviceId)).askReason).toBe(true);
    expect((await app.deps.services.get(massage.id)).askReason).toBe(false);
    expect(adminErrors).toEqual([]);

    // The receptionist books: the reason field follows the service chosen.
    for (const viewport of [
      { width: 1280, height: 800, name: 'desktop' },
      { width: 390, height: 844, name: 'phone' },
    ]) {
      const page = await signedInStaffPage(browser, app, base, 'bo@clinic.example', {
        viewport: { width: viewport.width, height: viewport.height },
      });
      const errors = pageErrors(page, { console: {} });
      const monday = DateTime.now().setZone('Europe/Paris').startOf('week').plus({ weeks: 1 }).toISODate()!;
      await page.goto(`${base}/staff/calendar?view=day&date=${monday}`);
      const time = viewport.name === 'desktop' ? '09:00' : '10:00';
      await page.getByRole('link', { name: `Book ${time} with Dr P1` }).click();
      const panel = page.locator('#panel');
      await panel.getByRole('heading', { name: 'New appointment' }).waitFor();
      const service = panel.getByLabel('Service');
      const reason = panel.getByLabel('Reason for the visit (optional)');
      await service.selectOption({ label: 'Sports massage (45 min)' });
      await expect.poll(() => reason.isVisible(), POLL).toBe(false);
      await service.selectOption({ label: 'Physiotherapy (30 min)' });
      await expect.poll(() => reason.isVisible(), POLL).toBe(true);
      await reason.fill(`Knee pain after running (${viewport.name})`);
      await panel.getByLabel('Find a patient').pressSequentially('pat1', { delay: 40 });
      await panel.getByRole('radio', { name: /Pat1 Ient1/ }).check();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: join(screenshotDir, `booking-panel-reason-${viewport.name}.png`) });
      await panel.getByRole('button', { name: 'Book' }).click();
      await panel.getByRole('heading', { name: 'New appointment' }).waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
    }
    const rows = await app.deps.appointments.listRange(systemActor, {
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 30 * 86_400_000),
    });
    expect(rows.map((r) => r.appointment.visitReason).sort()).toEqual([
      'Knee pain after running (desktop)',
      'Knee pain after running (phone)',
    ]);
  }, 150_000);
});
