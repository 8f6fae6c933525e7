import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { skipBrowserTests } from './chromium.ts';
import { heading, signedInAsMaya, toConfirmStep } from './patient-app-world.ts';
import { a11y, changeService, shots, summaryRows } from './patient-daily-world.ts';

/**
 * Issue 15, item 20, in Debian Chromium at a phone's size: when the service asks for a reason for
 * the visit, the confirm step has an optional field for it, the booking sends it, and the
 * appointment shows it; a service that does not ask has no such field.
 */
describe.skipIf(skipBrowserTests)('the reason for the visit in the patient app', () => {
  const cleanups = cleanupsAfterEach();

  it('asks for an optional reason when the service wants one, sends it and shows it on the appointment', async () => {
    const { app, clinic, page } = await signedInAsMaya(cleanups);
    await changeService(app, clinic.serviceId, { askReason: true });
    await toConfirmStep(page);
    const reason = page.getByRole('textbox', { name: 'Reason for your visit (optional)' });
    await reason.waitFor();
    expect(await reason.getAttribute('maxlength')).toBe('500');
    await reason.fill('Sore left knee after running');
    await a11y(page, 'confirm with a reason');
    await shots(page, 'reason-confirm-en');
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('You are booked');
    await expect
      .poll(async () => Object.fromEntries(await summaryRows(page)).Reason)
      .toBe('Sore left knee after running');
    const mine = await page.evaluate(
      async () => (await (await fetch('/api/v1/me/appointments')).json()).appointments,
    );
    expect(mine).toMatchObject([{ reason: 'Sore left knee after running' }]);

    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    const card = page.locator('article.appointment.booked');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByText('Reason: Sore left knee after running').isVisible()).toBe(true);

    // In French too.
    await page.evaluate(() => localStorage.setItem('cb.lang', 'fr'));
    await page.reload();
    await expect.poll(() => card.getByText('Motif : Sore left knee after running').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Réserver', exact: true }).click();
    await page.getByRole('button', { name: /Physiotherapy/ }).click();
    await page.getByRole('button', { name: /Premier disponible/ }).click();
    await page.locator('ul.days button').nth(2).click();
    await page.locator('ul.times button').first().click();
    await page.getByRole('textbox', { name: 'Motif de la visite (facultatif)' }).waitFor();
  });

  it('has no reason field when the service does not ask, and books without one', async () => {
    const { page } = await signedInAsMaya(cleanups);
    await toConfirmStep(page);
    await page.getByRole('button', { name: 'Book', exact: true }).waitFor();
    expect(await page.getByRole('textbox').count()).toBe(0);
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('You are booked');
    const mine = await page.evaluate(
      async () => (await (await fetch('/api/v1/me/appointments')).json()).appointments,
    );
    expect(mine).toMatchObject([{ reason: null }]);
  });
});
