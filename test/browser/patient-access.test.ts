import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { addPatientLogin, patientOnRecord } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { heading, mayaWithAnAppointment, profileSection, signedInAsMaya } from './patient-app-world.ts';

/**
 * Who can get into the patient's record, on the profile in Debian Chromium at a phone's size: the
 * addresses that sign in (another one removed), a guardian's access ended, a family member
 * removed; and the clinic's caps said in the app's words. Issue 14, items 3 and 7.
 */
/** Leo Lind, born 2018-04-04, added in the profile's family section. */
async function addLeo(family: Locator) {
  await family.getByText('Add a family member').click();
  await family.getByLabel('First name').fill('Leo');
  await family.getByLabel('Last name').fill('Lind');
  await family.getByLabel('Date of birth').fill('2018-04-04');
  await family.getByRole('button', { name: 'Add', exact: true }).click();
}

describe.skipIf(skipBrowserTests)('the patient app’s access and caps', () => {
  const cleanups = cleanupsAfterEach();

  it('lists who can sign in and who books for Maya, and takes access away', async () => {
    const { app, page, mayaId } = await signedInAsMaya(cleanups);
    await addPatientLogin(app, mayaId, 'email:stranger@evil.example');
    const pat = await patientOnRecord(app, { firstName: 'Pat', lastName: 'Lind' });
    await app.deps.db.tx((ctx) =>
      ctx.db
        .insert(ctx.t.patientGuardians)
        .values({ guardianId: pat.id, dependentId: mayaId, createdAt: app.deps.clock.now() }),
    );
    const access = await profileSection(page, 'access');
    await expect.poll(() => access.getByText('stranger@evil.example').isVisible()).toBe(true);
    expect(await access.getByText('maya@example.org · signed in here').isVisible()).toBe(true);
    expect(await access.getByRole('button', { name: 'Remove maya@example.org' }).count()).toBe(0);
    expect(await access.getByText('Pat Lind').isVisible()).toBe(true);

    const family = page.locator('section[aria-labelledby="family"]');
    await addLeo(family);
    await expect.poll(() => family.getByText('Leo Lind').isVisible()).toBe(true);

    expect(await seriousA11yViolations(page), 'profile, who can sign in').toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'patient-app-access.png'), fullPage: true });

    await access.getByRole('button', { name: 'Remove stranger@evil.example' }).click();
    await expect.poll(() => access.getByText('stranger@evil.example').count()).toBe(0);
    await access.getByRole('button', { name: 'End access: Pat Lind' }).click();
    await expect.poll(() => access.getByText('Pat Lind').count()).toBe(0);
    await family.getByRole('button', { name: 'Remove: Leo Lind' }).click();
    await expect.poll(() => family.getByText('Leo Lind').count()).toBe(0);
  });

  it('says why a booking or a family member past the clinic’s caps is refused', async () => {
    const { app, page, clinic } = await mayaWithAnAppointment(cleanups);
    await app.deps.clinic.update(systemActor, {
      ...(await app.deps.clinic.get()),
      openBookingsPerPatient: 1,
      dependentsPerGuardian: 0,
    });
    const slot = await page.evaluate(async (serviceId) => {
      const from = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      return (await (await fetch(`/api/v1/slots?serviceId=${serviceId}&from=${from}&to=${to}`)).json())
        .slots[0];
    }, clinic.serviceId);
    const { base } = { base: new URL(page.url()).origin };
    await page.goto(
      `${base}/app/#/book?serviceId=${clinic.serviceId}&practitionerId=${slot.practitionerId}&start=${encodeURIComponent(slot.start)}`,
    );
    await expect.poll(() => page.getByText('Check and confirm').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'as the clinic allows (1)' });
    await expect.poll(() => refusal.isVisible()).toBe(true);
    expect(await heading(page)).not.toBe('You are booked');
    await page.screenshot({ path: join(screenshotDir, 'patient-app-booking-cap.png'), fullPage: true });

    const family = await profileSection(page, 'family');
    await addLeo(family);
    await expect
      .poll(() =>
        family.getByText('You have added as many family members as the app allows (0).').isVisible(),
      )
      .toBe(true);
  });
});
