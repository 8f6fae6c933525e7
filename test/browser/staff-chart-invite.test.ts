import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { patientOnRecord } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageShots, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * Issue 15, items 12 and 11 at the front desk, in Chromium: the receptionist invites a patient to
 * the app from the chart (a refused invitation says why beside the field), and reviews in the
 * Inbox a record a patient registered with the name and date of birth of one on file. Desktop
 * and phone sizes, axe-core on each screen.
 */
describe.skipIf(skipBrowserTests)('the chart’s invitation and the Inbox’s possible duplicates', () => {
  const cleanups = cleanupsAfterAll();

  it('invites from the chart, then clears a possible duplicate from the Inbox', async () => {
    const { app, base } = await servedClinic(cleanups, 'chart-invite', {
      patients: 3,
      timeZone: 'Europe/London',
    });
    const grace = await patientOnRecord(app, {
      firstName: 'Grace',
      lastName: 'Ahmed',
      dateOfBirth: '1984-02-29',
      email: 'grace@example.org',
      phone: '+44 7700 900100',
    });
    // Someone registers in the app with Grace's name and date of birth from another address.
    const signedIn = await app.deps.db.tx((ctx) =>
      app.deps.patientSignIn.startSession(ctx, 'email:g.ahmed@example.net', null, { actor: systemActor }),
    );
    const copy = await app.deps.patientRegistration.register(
      signedIn.session,
      { firstName: 'Grace', lastName: 'Ahmed', dateOfBirth: '1984-02-29', acceptTerms: true },
      systemActor,
    );
    expect(copy.possibleDuplicateOf).toBe(grace.id);

    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'bo@clinic.example', {
      errors: { console: { except: /status of 422/ } },
    });
    const invites = async () =>
      Object.values((await app.deps.jobs.admin.stats({ name: 'notifications.send-message' })).counts).reduce(
        (a, b) => a + b,
        0,
      );
    const before = await invites();

    await page.goto(`${base}/staff/patients/${grace.id}`);
    const section = page.getByRole('region', { name: 'Patient app' });
    await section.waitFor();
    expect(await section.getByText('No address signs in to this record yet.').count()).toBe(1);
    expect(await section.getByLabel('Email address').inputValue()).toBe('grace@example.org');
    expect(await section.getByLabel('Mobile number').inputValue()).toBe('+44 7700 900100');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'chart-desktop');

    // By SMS without a number: refused, said under the field, what was chosen kept.
    await section.getByLabel('SMS').check();
    await section.getByLabel('Mobile number').fill('');
    await section.getByRole('button', { name: 'Send invitation' }).click();
    const phoneField = page.getByRole('region', { name: 'Patient app' }).getByLabel('Mobile number');
    await expect.poll(() => phoneField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#invite-phone-error').innerText()).toMatch(/number/i);
    expect(await page.getByRole('region', { name: 'Patient app' }).getByLabel('SMS').isChecked()).toBe(true);
    expect(await invites()).toBe(before);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // By email, to the address on record: on its way.
    const again = page.getByRole('region', { name: 'Patient app' });
    await again.getByLabel('Email', { exact: true }).check();
    await again.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('The invitation is on its way.').waitFor();
    expect(page.url()).toContain(`/staff/patients/${grace.id}?notice=invited`);
    expect(await invites()).toBe(before + 1);

    // The copy's chart names the record it resembles.
    await page.goto(`${base}/staff/patients/${copy.id}`);
    await page.getByRole('link', { name: 'Grace Ahmed' }).waitFor();
    expect(await page.getByText('Possible duplicate of').count()).toBe(1);

    // The Inbox lists the copy beside the record on file; "Not the same person" clears it.
    await page.goto(`${base}/staff/inbox`);
    const duplicates = page.getByRole('region', { name: 'Possible duplicate records (1)' });
    await duplicates.waitFor();
    expect(await duplicates.getByRole('link', { name: 'Grace Ahmed (on file)' }).getAttribute('href')).toBe(
      `/staff/patients/${grace.id}`,
    );
    await checkAtBothSizes(page, 'inbox');
    await page.goto(`${base}/staff/patients/${grace.id}`);
    await page.getByRole('region', { name: 'Patient app' }).waitFor();
    await checkAtBothSizes(page, 'chart-invited');

    await page.goto(`${base}/staff/inbox`);
    await page.getByRole('button', { name: 'Not the same person Grace Ahmed' }).click();
    await page.getByRole('heading', { name: 'Possible duplicate records (0)' }).waitFor();
    await page.getByText('The record is no longer listed as a possible duplicate.').waitFor();
    expect(errors).toEqual([]);
  }, 180_000);
});

const { shot, checkAtBothSizes } = pageShots('staff-');
