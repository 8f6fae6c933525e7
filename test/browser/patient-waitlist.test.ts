import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { skipBrowserTests } from './chromium.ts';
import { cancelTheAppointment, heading, mayaWithAnAppointment, signedInAsMaya } from './patient-app-world.ts';
import { a11y, shots } from './patient-daily-world.ts';

/**
 * Issue 15, item 19, in Debian Chromium at a phone's size: the practitioner chosen while booking
 * is the waitlist form's, joining twice for the same dates is refused in words, and a cancelled
 * appointment still to come is not listed under "Past". (The API's duplicate rule on both
 * dialects: src/http/api/waitlist-duplicates.test.ts.)
 */
describe.skipIf(skipBrowserTests)('the waitlist and the appointment lists in the patient app', () => {
  const cleanups = cleanupsAfterEach();

  it('carries the practitioner chosen while booking over to the waitlist, and refuses joining twice', async () => {
    const { page, clinic } = await signedInAsMaya(cleanups);
    const p2 = clinic.practitionerIds[1]!;
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await page.getByRole('button', { name: /Physiotherapy/ }).click();
    await page.getByRole('button', { name: /Dr P2/ }).click();
    await page.locator('ul.days button').first().waitFor();
    await page.getByRole('link', { name: 'Join the waitlist for earlier times' }).click();
    await expect.poll(() => heading(page)).toBe('Waitlist');
    const practitioner = page.getByRole('combobox', { name: 'Practitioner' });
    await expect.poll(() => practitioner.inputValue()).toBe(p2);
    // Each list fills in as its read answers: wait for the service too before joining.
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Service' }).inputValue())
      .toBe(clinic.serviceId);
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await expect.poll(() => page.getByText('You are on the waitlist.').isVisible()).toBe(true);
    const entries = async () =>
      page.evaluate(async () => (await (await fetch('/api/v1/me/waitlist')).json()).entries);
    expect(await entries()).toMatchObject([{ serviceId: clinic.serviceId, practitionerId: p2 }]);

    // The same dates again: refused, said plainly, nothing added.
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'already on the waitlist' });
    await expect.poll(() => refusal.isVisible()).toBe(true);
    expect(await page.getByText('You are on the waitlist.').count()).toBe(0);
    expect(await entries()).toHaveLength(1);
    await a11y(page, 'waitlist refused');
    await shots(page, 'waitlist-refused-en');
  });

  it('lists a cancelled appointment still to come apart, not under "Past"', async () => {
    const { page } = await mayaWithAnAppointment(cleanups);
    await cancelTheAppointment(page);
    const cancelled = page.getByRole('region', { name: 'Cancelled' });
    await expect.poll(() => cancelled.locator('article.appointment.cancelled').count()).toBe(1);
    const past = page.getByRole('region', { name: 'Past' });
    expect(await past.locator('article').count()).toBe(0);
    expect(await past.getByText('No past appointments.').isVisible()).toBe(true);
    await a11y(page, 'appointments with a cancelled one');
    await shots(page, 'appointments-cancelled-en');
  });
});
