import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackupTestApp } from '../../src/testing/backups-world.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { staffMember } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { staffPageOnServedApp } from './signed-in-page.ts';

/**
 * An admin in Debian Chromium: the warning that no backup was ever made shows on every staff page,
 * leads to Backups, whose "Back up now" the worker (running in the test) carries out while htmx
 * follows it to done; then the warning is gone.
 */
describe.skipIf(skipBrowserTests)('Backups in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('an admin sees the 48 h warning until Back up now has made a backup', async () => {
    const app = await createBackupTestApp({ worker: true });
    cleanups.push(() => app.destroy());
    await staffMember(app, 'admin', { email: 'ada@clinic.example', name: 'Ada Admin' });
    await app.start();
    const { base, page, errors } = await staffPageOnServedApp(app, cleanups, 'ada@clinic.example');

    await page.goto(`${base}/staff`);
    const warning = page.locator('.backup-warning');
    expect(await warning.textContent()).toContain('No backup has been made yet.');
    await warning.getByRole('link', { name: 'Open Backups' }).click();
    await page.waitForURL(`${base}/staff/admin/backups`);
    expect(await page.locator('h1').textContent()).toBe('Backups');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.waitForURL(/\/staff\/admin\/backups\?asked=1&run=/);
    // htmx asks every 2 s; the worker writes the archive meanwhile; once done the page reloads.
    await page.waitForURL(/\/staff\/admin\/backups\?run=/, { timeout: 60_000 });
    await page.locator('.backup-state[data-status="succeeded"]').waitFor();
    expect(await page.locator('.backup-warning').count()).toBe(0);
    expect(await page.locator('.notice', { hasText: 'Backup queued.' }).count()).toBe(0);
    expect(await page.locator('.backup-state').textContent()).toMatch(
      /^Done: backup written \(\d+ KB, [\d.]+ s\)\.$/,
    );
    await page.screenshot({ path: join(screenshotDir, 'staff-backups-done.png'), fullPage: true });

    await page.goto(`${base}/staff`);
    expect(await page.locator('.backup-warning').count()).toBe(0);
    await page.goto(`${base}/staff/admin/backups`);
    expect(await page.locator('.backup-warning').count()).toBe(0);
    expect(await page.locator('table.backup-runs tbody tr').count()).toBe(1);
    expect(await page.locator('table.backup-runs .run-succeeded').textContent()).toBe('succeeded');
    expect(errors).toEqual([]);
  }, 120_000);
});
