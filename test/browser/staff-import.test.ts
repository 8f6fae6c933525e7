import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../src/testing/app.ts';
import { seedClinic } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { staffPageOnServedApp } from './signed-in-page.ts';

/**
 * An admin in Debian Chromium imports future appointments: uploads the CSV (htmx streams it),
 * finishes the mapping the recognition left open (a "Therapist" column), reads the preview's
 * outcome for each row and the dry run, imports (the worker runs the job while htmx polls), and
 * is offered the rejected rows.
 */
describe.skipIf(skipBrowserTests)('Import in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('upload → choose the practitioner column → preview → import → rejected rows', async () => {
    const app = await createTestApp({ config: { staffMfa: 'optional' }, worker: true });
    cleanups.push(() => app.destroy());
    await app.start();
    // Europe/Paris; now is 2026-03-02 09:00 UTC. Practitioner 1 (Dr P1) and 2 (Dr P2) offer Physiotherapy.
    await seedClinic(app, { patients: 3 });
    const { base, page, errors } = await staffPageOnServedApp(app, cleanups, 'ada@clinic.example');
    await page.goto(`${base}/staff/admin`);
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.waitForURL(`${base}/staff/admin/import`);

    const csv = [
      'Patient Email,Therapist,Treatment,Start Date,Start Time',
      'patient1@example.org,Practitioner 1,Physiotherapy,10/03/2026,10:00',
      'patient2@example.org,dr p2,physiotherapy,10/03/2026,10:00',
      'patient3@example.org,Practitioner 1,Physiotherapy,10/03/2026,10:15',
      'nobody@example.org,Practitioner 1,Physiotherapy,11/03/2026,10:00',
      'patient1@example.org,Practitioner 1,Physiotherapy,01/03/2026,10:00',
    ].join('\n');
    await page.getByLabel('The file holds').selectOption('appointments');
    await page.getByLabel('CSV file (up to 20 MB)').setInputFiles({
      name: 'jane-appointments.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.waitForURL(/\/staff\/admin\/import\/[\w-]+$/);
    expect(await page.locator('main').textContent()).toContain('The columns look like a Jane export');
    expect(await page.getByRole('alert').textContent()).toContain('Choose a column for practitioner');
    expect(await page.getByLabel('Service', { exact: true }).inputValue()).toBe('Treatment');

    await page.getByLabel('Practitioner', { exact: true }).selectOption('Therapist');
    await page.getByRole('button', { name: 'Save and preview again' }).click();
    await page.waitForURL(/notice=saved/);
    expect(await page.locator('#dry-run').textContent()).toContain(
      '5 rows — 2 would be imported, 0 already on file (skipped), 3 rejected.',
    );
    expect(await page.locator('table.import-preview td.outcome').allTextContents()).toEqual([
      'would import',
      'would import',
      'rejected: clashes with line 2',
      'rejected: no patient on file with this email, or this name and date of birth',
      'rejected: starts in the past',
    ]);
    await page.screenshot({ path: join(screenshotDir, 'staff-import-preview.png'), fullPage: true });

    await page.getByRole('button', { name: 'Import 2 appointments' }).click();
    await page.waitForURL(/notice=started/);
    await page.getByRole('heading', { name: 'Imported' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#import-progress').textContent()).toContain(
      '5 rows: 2 imported, 0 already on file (skipped), 3 rejected.',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download the rejected rows/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('jane-appointments.rejected.csv');
    await page.screenshot({ path: join(screenshotDir, 'staff-import-done.png'), fullPage: true });
    const booked = await app.deps.appointments.listRange(
      { type: 'system', id: null },
      { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') },
    );
    expect(booked.map((a) => a.appointment.startAt.toISOString())).toEqual([
      '2026-03-10T09:00:00.000Z',
      '2026-03-10T09:00:00.000Z',
    ]);
    expect(errors).toEqual([]);
  }, 120_000);
});
