import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { PHONE_VIEWPORT, pageShots, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * The front desk registers a patient who phones in, without booking: "Add a patient" on the
 * Patients page, the form filled and sent, the new chart. At a laptop's size and at a phone's.
 * axe-core checks the form; nothing may be wider than the screen.
 */
describe.skipIf(skipBrowserTests)('adding a patient from the Patients page in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  async function addPatient(page: Page, base: string, first: string, last: string) {
    await page.goto(`${base}/staff/patients`);
    await page.getByRole('link', { name: 'Add a patient' }).click();
    await page.waitForURL(`${base}/staff/patients/new`);
    await page.getByRole('heading', { name: 'Add a patient' }).waitFor();
    // The first name has the focus: the member starts typing at once.
    await page.keyboard.type(first);
    await page.getByLabel('Last name').fill(last);
    await page.getByLabel('Date of birth').fill('14/07/1985');
    await page.getByLabel('Phone').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Add the patient' }).click();
    await page.waitForURL(new RegExp(`${base}/staff/patients/[\\w-]+\\?notice=added$`));
    await page
      .getByRole('heading', { name: new RegExp(`${first} ${last}`) })
      .first()
      .waitFor();
  }

  it('adds a patient and opens their chart, at 1366 and at 390 px', async () => {
    const { app, base } = await servedClinic(cleanups, 'patient-new', { patients: 2 });
    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'bo@clinic.example', {
      viewport: { width: 1366, height: 768 },
    });

    await addPatient(page, base, 'Amara', 'Okonkwo');
    const [made] = await app.deps.patients.search(systemActor, 'Okonkwo');
    expect(page.url()).toBe(`${base}/staff/patients/${made!.id}?notice=added`);
    expect(made).toMatchObject({ dateOfBirth: '1985-07-14' });

    // The empty form, and the form refused (no last name), looked at both sizes.
    await page.goto(`${base}/staff/patients/new`);
    await checkAtBothSizes(page, 'patient-new');
    await page.getByLabel('First name').fill('Zebedee');
    await page.getByLabel('Date of birth').fill('14/07/1985');
    // The browser asks for the last name first (it is required)…
    await page.getByRole('button', { name: 'Add the patient' }).click();
    expect(
      await page.getByLabel('Last name').evaluate((i: HTMLInputElement) => i.validity.valueMissing),
    ).toBe(true);
    expect(page.url()).toBe(`${base}/staff/patients/new`);
    // …and the clinic refuses it too, with the form as typed, when the browser does not check.
    await page.locator('form[aria-label="Add a patient"]').evaluate((f: HTMLFormElement) => {
      f.noValidate = true;
    });
    await page.getByRole('button', { name: 'Add the patient' }).click();
    await page.getByText('Enter the last name.').waitFor();
    expect(await page.getByLabel('First name').inputValue()).toBe('Zebedee');
    await checkAtBothSizes(page, 'patient-new-refused');
    expect(await app.deps.patients.search(systemActor, 'Zebedee')).toEqual([]);

    // At a phone's size the whole path works the same.
    await page.setViewportSize(PHONE_VIEWPORT);
    await addPatient(page, base, 'Ines', 'Duarte');
    expect(await app.deps.patients.search(systemActor, 'Duarte')).toHaveLength(1);
    expect(errors).toEqual([]);
  }, 120_000);
});

const { checkAtBothSizes } = pageShots('staff-');
