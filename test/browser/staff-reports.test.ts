import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { reportsWorld } from '../../src/testing/reports-world.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * The Reports page in Debian Chromium, on the hand-computed clinic of testing/reports-world.ts
 * (today 2 March 2026): this month first; "Last month" moves the range to February and the
 * figures follow; custom dates move it again; every report has its SVG chart (an image with a
 * title) and its table; the CSV link downloads; a practitioner sees only their own figures.
 */
describe.skipIf(skipBrowserTests)('Reports in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('the range picker changes the period; charts and tables follow it', async () => {
    const w = await reportsWorld('sqlite');
    cleanups.push(() => w.app.destroy());
    const server = await listen(w.app.http.fetch, { port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close(1000));
    const base = server.url;
    const { page, errors } = await staffChromiumPage(cleanups, w.app, base, 'ada@clinic.example');

    await page.goto(`${base}/staff`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(`${base}/staff/reports`);
    expect(await page.locator('.range-note').textContent()).toContain('2026-03-01 to 2026-03-31');
    const table = (name: string) => page.getByRole('region', { name: `${name}: numbers` });

    await page.getByRole('link', { name: 'Last month' }).click();
    await page.waitForURL(/preset=last-month/);
    expect(await page.locator('.range-note').textContent()).toContain('2026-02-01 to 2026-02-28');
    expect(await page.getByRole('link', { name: 'Last month' }).getAttribute('aria-current')).toBe('true');
    const rates = table('No-show and late-cancellation rates');
    expect(await rates.locator('tr', { hasText: 'Dr P2' }).textContent()).toContain('28.6 %');
    const charts = page.locator('svg.chart[role="img"]');
    expect(await charts.count()).toBe(11);
    for (const chart of await charts.all()) {
      const titleId = await chart.getAttribute('aria-labelledby');
      expect(await chart.locator(`title#${titleId}`).count()).toBe(1);
    }
    // Bars drawn for February's takings (three days with payments) and the ageing bands.
    expect(await page.locator('#report-outstanding-chart-title').count()).toBe(1);
    expect(await table('Outstanding balances by age').locator('tbody tr').count()).toBe(4);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel('From', { exact: true }).fill('2026-02-02');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/from=2026-02-02&to=2026-03-01/);
    expect(await page.locator('.range-note').textContent()).toContain('2026-02-02 to 2026-03-01');
    const weeks = table('Appointments by status per week').locator('tbody tr');
    expect(await weeks.allTextContents()).toHaveLength(4);
    expect(await weeks.first().locator('th').textContent()).toBe('2026-02-02');
    const rectangles = page.locator('section[aria-labelledby="report-appointments-by-status"] svg rect');
    expect(await rectangles.count()).toBe(12); // the week rows' non-zero status counts: 3 + 3 + 4 + 2
    await page.screenshot({ path: join(screenshotDir, 'staff-reports-1280.png'), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshotDir, 'staff-reports-390.png'), fullPage: false });

    const csvHref = await page.getByRole('link', { name: 'CSV of Daily takings' }).getAttribute('href');
    expect(csvHref).toBe('/staff/reports/daily-takings/csv?from=2026-02-02&to=2026-03-01');
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref!);
    expect(csv.split('\n')[0]).toBe('Day,Payments,Taken (EUR)');
    expect(csv).toContain('2026-02-03,1,60.00');
    expect(errors).toEqual([]);
  }, 120_000);

  it('a practitioner sees their own figures only, and no clinic-wide SMS report', async () => {
    const w = await reportsWorld('sqlite');
    cleanups.push(() => w.app.destroy());
    const server = await listen(w.app.http.fetch, { port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close(1000));
    const { page } = await staffChromiumPage(cleanups, w.app, server.url, 'p2@clinic.example', {
      viewport: { width: 390, height: 844 },
    });
    await page.goto(`${server.url}/staff/reports?preset=last-month`);
    expect(await page.locator('.range-note').textContent()).toContain('your own figures');
    expect(await page.locator('svg.chart').count()).toBe(10);
    expect(await page.locator('#report-sms-budget').count()).toBe(0); // the section's heading
    const rows = page
      .getByRole('region', { name: 'No-show and late-cancellation rates: numbers' })
      .locator('tbody tr');
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('Dr P2')]);
  }, 120_000);
});
