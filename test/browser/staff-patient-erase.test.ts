import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { addPatientLogin, patientOnRecord } from '../../src/testing/signed-in.ts';
import { pageShots, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * Issue 18 item 6 in Debian Chromium, as an admin does it: from the chart, "Erase record or
 * restrict…" opens the confirmation screen that counts what will be removed; "Erase the record"
 * leaves the chart as an erased tombstone. axe-core checks the screen at a laptop's and a phone's size.
 */
describe.skipIf(skipBrowserTests)('erasing a record in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('shows what will be removed, then erases', async () => {
    const { app, base, clinic } = await servedClinic(cleanups, 'erase', { patients: 0 });
    const patient = await patientOnRecord(app, {
      firstName: 'Solène',
      lastName: 'Garnier',
      email: 'solene.garnier@example.org',
    });
    await addPatientLogin(app, patient.id, 'email:solene.garnier@example.org');
    await app.deps.patients.addAlert({ type: 'staff', id: clinic.receptionId }, patient.id, {
      kind: 'admin',
      text: 'Prefers mornings',
    });

    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'ada@clinic.example');
    await page.goto(`${base}/staff/patients/${patient.id}`);
    await page.getByRole('link', { name: 'Erase record or restrict…' }).click();
    await page.waitForURL(new RegExp(`/staff/patients/${patient.id}/erase$`));
    await page.getByRole('heading', { name: 'What will be removed' }).waitFor();
    const rowOf = (kind: string) => page.locator('table.merge-counts tr', { hasText: kind });
    expect(await rowOf('Patient app sign-in addresses').locator('td').last().textContent()).toBe('1');
    expect(await rowOf('Alerts').locator('td').last().textContent()).toBe('1');
    await checkAtBothSizes(page, 'erase-confirm');

    await page.getByRole('button', { name: 'Erase the record' }).click();
    await page.waitForURL(new RegExp(`/staff/patients/${patient.id}\\?notice=erased$`));
    await page.getByText('The record was erased').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Erased record');
    expect(await page.content()).not.toContain('solene.garnier@example.org');
    const row = await app.deps.patients.get(systemActor, patient.id);
    expect(row).toMatchObject({ firstName: 'Erased', email: null, status: 'archived' });
    expect(row.erasedAt).not.toBeNull();
    expect(errors).toEqual([]);
  });
});

const { checkAtBothSizes } = pageShots('staff-');
