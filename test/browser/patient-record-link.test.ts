import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { patientOnRecord } from '../../src/testing/signed-in.ts';
import { until } from '../../src/testing/wait.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageErrors, pageShots, skipBrowserTests } from './chromium.ts';
import { heading, openPatientApp } from './patient-app-world.ts';

/**
 * Issue 15, item 11, in the patient app (Chromium at a phone's size): a patient already on file
 * who signs in with the email on their record is asked for the date of birth on it — not to
 * create a profile — and lands on their own record; "not my record" leads to a new profile.
 */
describe.skipIf(skipBrowserTests)('a patient on file opening their record in the app', () => {
  const cleanups = cleanupsAfterEach();

  /** Signs in on the app with the code emailed to `email`. */
  async function signIn(world: Awaited<ReturnType<typeof openPatientApp>>, email: string) {
    const { page, base, sink } = world;
    await page.goto(`${base}/app/`);
    await page.waitForURL(/#\/sign-in/);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const mail = await until('the code email', async () =>
      sink.messages.find((m) => JSON.stringify(m.to ?? '').includes(email)),
    );
    await page.getByLabel('Code').fill(/\b(\d{6})\b/.exec(mail.text ?? '')![1]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('asks for the date of birth on the record, says a wrong one, and opens the record with the right one', async () => {
    const world = await openPatientApp(cleanups);
    const { app, page } = world;
    const errors = pageErrors(page);
    const grace = await patientOnRecord(app, {
      firstName: 'Grace',
      lastName: 'Ahmed',
      dateOfBirth: '1984-02-29',
      email: 'grace@example.org',
    });
    await signIn(world, 'grace@example.org');
    await page.waitForURL(/#\/register/);
    await expect.poll(() => heading(page)).toBe('Open your record');
    expect(await page.getByRole('button', { name: 'Create profile' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'record-1-ask');

    await page.getByLabel('Date of birth').fill('1984-03-01');
    await page.getByRole('button', { name: 'Open my record' }).click();
    await page.getByText('That is not the date of birth on your record. Tries left: 4.').waitFor();
    expect(await page.getByLabel('Date of birth').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'record-2-wrong');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'record-2-wrong-desktop');
    await page.setViewportSize({ width: 412, height: 915 });

    await page.getByLabel('Date of birth').fill('1984-02-29');
    await page.getByRole('button', { name: 'Open my record' }).click();
    await expect.poll(() => heading(page)).toBe('Hello Grace');
    const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).patient.id);
    expect(me).toBe(grace.id);
    // No second record was made.
    expect((await app.deps.patients.browse({ type: 'system', id: null }, {})).rows).toHaveLength(1);
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  }, 120_000);

  it('"This is not my record" leads to a new profile', async () => {
    const world = await openPatientApp(cleanups);
    const { app, page } = world;
    // A parent signing in with the email on their child's record.
    await patientOnRecord(app, {
      firstName: 'Leo',
      lastName: 'Park',
      dateOfBirth: '2016-06-01',
      email: 'park@example.org',
    });
    await signIn(world, 'park@example.org');
    await expect.poll(() => heading(page)).toBe('Open your record');
    await page.getByRole('button', { name: 'This is not my record: create a new profile' }).click();
    await expect.poll(() => heading(page)).toBe('Create your profile');
    await page.getByLabel('First name').fill('Ana');
    await page.getByLabel('Last name').fill('Park');
    await page.getByLabel('Date of birth').fill('1985-01-20');
    await page.getByLabel('I agree').check();
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect.poll(() => heading(page)).toBe('Hello Ana');
  }, 120_000);
});

const { shot } = pageShots('patient-app-');
