import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { bookAppointment } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { addPatientLogin, patientOnRecord, setPatientColumns } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageShots, screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * Issue 17: merging a duplicate in Debian Chromium, as the front desk does it. The Inbox lists a
 * self-registration that looks like a record on file; "Compare and merge" opens the confirmation
 * screen (both records side by side, what moves per kind), at a laptop's and a phone's size;
 * Merge moves it all and leaves the other record archived and marked. From a chart, "Merge a
 * duplicate…" finds the other record by search. axe-core checks each screen.
 */
describe.skipIf(skipBrowserTests)('merging two records in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('compares the two records, shows what moves, and merges', async () => {
    const { app, base, clinic } = await servedClinic(cleanups, 'merge', { patients: 0 });
    const onFile = await patientOnRecord(app, {
      firstName: 'Amélie',
      lastName: 'Durand',
      dateOfBirth: '1984-02-29',
      email: 'amelie.durand@example.org',
    });
    const registered = await patientOnRecord(app, {
      firstName: 'Amélie',
      lastName: 'Durand',
      dateOfBirth: '1984-02-29',
      email: 'amelie.d@example.net',
    });
    await setPatientColumns(app, registered.id, { possibleDuplicateOf: onFile.id });
    await addPatientLogin(app, registered.id, 'email:amelie.d@example.net');
    const monday = DateTime.now().setZone('Europe/Paris').startOf('week').plus({ weeks: 1, hours: 10 });
    await bookAppointment(app, clinic, registered.id, monday.toISO()!);
    await bookAppointment(app, clinic, onFile.id, monday.plus({ days: 1 }).toISO()!);

    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'bo@clinic.example');

    await page.goto(`${base}/staff/inbox`);
    const duplicates = page.locator('section[aria-labelledby="h-duplicates"]');
    await duplicates.getByRole('link', { name: 'Compare and merge Amélie Durand' }).click();
    await page.waitForURL(new RegExp(`/staff/patients/${onFile.id}/merge\\?from=${registered.id}$`));
    await page.getByRole('heading', { name: 'Merge two records' }).waitFor();
    const keep = page.locator('section[aria-labelledby="h-keep"]');
    const from = page.locator('section[aria-labelledby="h-from"]');
    expect(await keep.getByText('amelie.durand@example.org').isVisible()).toBe(true);
    expect(await from.getByText('amelie.d@example.net').isVisible()).toBe(true);
    // Side by side on a laptop.
    const [k, f] = [await keep.boundingBox(), await from.boundingBox()];
    expect(Math.abs(k!.y - f!.y)).toBeLessThan(2);
    expect(f!.x).toBeGreaterThan(k!.x + k!.width - 1);
    const moves = page.locator('table.merge-counts');
    const rowOf = (kind: string) => moves.locator('tr', { hasText: kind });
    expect(await rowOf('Appointments (past and upcoming)').locator('td').last().textContent()).toBe('1');
    expect(await rowOf('Patient app sign-in addresses').locator('td').last().textContent()).toBe('1');
    // At a phone's size: one above the other.
    await checkAtBothSizes(page, 'merge-confirm', async () => {
      const [k2, f2] = [await keep.boundingBox(), await from.boundingBox()];
      expect(f2!.y).toBeGreaterThan(k2!.y + k2!.height - 1);
    });

    await page.getByRole('button', { name: 'Merge into the kept record (2 items move)' }).click();
    await page.waitForURL(new RegExp(`/staff/patients/${onFile.id}\\?notice=merged$`));
    await page.getByText('The records were merged').waitFor();
    // The other record: archived, marked, pointing here; the Inbox no longer lists it.
    await page.goto(`${base}/staff/patients/${registered.id}`);
    await page.getByText('Merged into').waitFor();
    expect(await page.getByRole('link', { name: 'Amélie Durand' }).first().getAttribute('href')).toBe(
      `/staff/patients/${onFile.id}`,
    );
    await page.goto(`${base}/staff/inbox`);
    expect(await page.getByRole('link', { name: /Compare and merge/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('finds the other record from the chart, by search', async () => {
    const { app, base } = await servedClinic(cleanups, 'merge-pick', { patients: 0 });
    const keep = await patientOnRecord(app, { firstName: 'Bruno', lastName: 'Keller' });
    const other = await patientOnRecord(app, { firstName: 'Bruno', lastName: 'Kellerman' });
    const { page } = await staffChromiumPage(cleanups, app, base, 'bo@clinic.example');
    await page.goto(`${base}/staff/patients/${keep.id}`);
    await page.getByRole('link', { name: 'Merge a duplicate…' }).click();
    await page.getByRole('searchbox', { name: 'The other record' }).pressSequentially('kell', { delay: 30 });
    const choice = page.locator('#merge-choices').getByRole('link', { name: /Bruno Kellerman/ });
    await choice.waitFor();
    // The record itself is not offered.
    expect(await page.locator('#merge-choices').getByRole('link').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'staff-merge-pick.png'), fullPage: true });
    await choice.click();
    await page.waitForURL(new RegExp(`/staff/patients/${keep.id}/merge\\?from=${other.id}$`));
    await page.getByText('Nothing points at Bruno Kellerman').waitFor();
    await page.getByRole('button', { name: 'Merge into the kept record (0 items move)' }).click();
    await page.waitForURL(new RegExp(`/staff/patients/${keep.id}\\?notice=merged$`));
    expect((await app.deps.patients.get(systemActor, other.id)).mergedInto).toBe(keep.id);
  });
});

const { checkAtBothSizes } = pageShots('staff-');
