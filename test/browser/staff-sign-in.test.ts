import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { startCli } from '../../src/testing/process.ts';
import { seriousA11yViolations } from './a11y.ts';
import { CHROMIUM, launchChromium, screenshotDir, skipBrowserTests } from './chromium.ts';
import { signedInStaffPage } from './signed-in-page.ts';
import {
  codeAt,
  currentStep,
  devices,
  EMAIL,
  enrolAuthenticator,
  heading,
  NAME,
  newDevice,
  PASSWORD,
  problemWatch,
  servedWithAdmin,
  signInWithCode,
  submitPassword,
} from './staff-sign-in-steps.ts';

/**
 * Issue 4 in a real browser (Debian Chromium driven by playwright-core), through the UI only:
 * first-run setup link → admin created → TOTP enrolled; sign out; sign in with password and TOTP
 * on two devices; revoke a session from the other device. Each test starts its own server with
 * the administrator it needs (the first from the command line's setup link, the others made with
 * the factories), so they pass alone and in any order.
 *
 * Timing: the second device's sign-in waits for the next TOTP step once (see authenticator() in
 * staff-sign-in-steps.ts): 0–30 s, about 15 s on average.
 *
 * Without /usr/bin/chromium the tests are skipped locally; with CI set they must run and fail.
 * Screenshots go to <os tmpdir>/clinicbox-screenshots/.
 */

if (skipBrowserTests) {
  console.warn(
    `test/browser: skipping the browser tests, ${CHROMIUM} is missing (install it: apt-get install -y chromium). With CI set they run and fail instead.`,
  );
}

describe.skipIf(skipBrowserTests)('staff sign-in in a real browser (issue 4)', () => {
  const cleanups = cleanupsAfterEach();
  beforeAll(() => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing (CI is set, so the browser test must run): apt-get install -y chromium`,
    ).toBe(true);
  });

  it('the first-run setup link creates the admin, who enrols an authenticator app and lands on Today', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'clinicbox-browser-'));
    cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const { child, match, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', join(tmp, 'data'), '--log-format', 'json'],
      /(http:\/\/127\.0\.0\.1:\d+)\/staff\/setup\?token=([\w-]{43})/,
      { cwd: tmp, timeoutMs: 60_000 },
    );
    let serverStopped = false;
    cleanups.push(async () => {
      if (!serverStopped) child.kill('SIGKILL');
    });
    const base = match[1]!;
    const browser = await launchChromium(cleanups);
    const problems = problemWatch();
    const desk = await newDevice(browser, base, 'desk', problems);

    // The one-time setup link, the first administrator.
    await desk.goto(`${base}/staff/setup?token=${match[2]!}`);
    await expect(heading(desk, 'Set up Clinicbox').isVisible()).resolves.toBe(true);
    expect(await seriousA11yViolations(desk)).toEqual([]);
    await desk.getByLabel('Your name', { exact: true }).fill(NAME);
    await desk.getByLabel('Email', { exact: true }).fill(EMAIL);
    await desk.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await desk.getByRole('button', { name: 'Create administrator', exact: true }).click();

    // TOTP set-up: QR code and key; confirm with the current code; recovery codes; Today.
    await heading(desk, 'Set up your second factor').waitFor();
    expect(new URL(desk.url()).pathname).toBe('/staff/setup/totp');
    await expect(
      desk.getByRole('figure', { name: 'QR code for your authenticator app' }).isVisible(),
    ).resolves.toBe(true);
    const key = ((await desk.locator('code.secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await seriousA11yViolations(desk)).toEqual([]);
    const shotTotp = join(screenshotDir, '1-totp-setup.png');
    await desk.screenshot({ path: shotTotp, fullPage: true });

    await desk.getByLabel('Code from the app', { exact: true }).fill(codeAt(key, currentStep()));
    await desk.getByRole('button', { name: 'Confirm', exact: true }).click();
    await heading(desk, 'Save your recovery codes').waitFor();
    const recovery = await desk.locator('ul.codes li').allTextContents();
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    await desk.getByRole('link', { name: /I have saved them/ }).click();
    await heading(desk, 'Today').waitFor();
    const banner = desk.getByRole('banner');
    await expect(banner.getByRole('link', { name: `${NAME} (admin)` }).isVisible()).resolves.toBe(true);
    expect(await seriousA11yViolations(desk)).toEqual([]);
    const shotToday = join(screenshotDir, '2-today.png');
    await desk.screenshot({ path: shotToday, fullPage: true });
    console.log(`browser test: screenshots ${shotTotp}, ${shotToday}`);
    expect(problems.list(), 'console errors, page errors or failed requests in the browser').toEqual([]);

    await browser.close();
    child.kill('SIGTERM');
    const done = await finished;
    serverStopped = true;
    expect(done.code, `server exit; stderr:\n${done.stderr}`).toBe(0);

    // Every request the browser made succeeded (or redirected), as the server logged them.
    // /favicon.ico is not served yet (Chromium asks for it on every new origin): tolerated for now.
    const failed = done.stdout
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { msg?: string; method?: string; path?: string; status?: number }];
        } catch {
          return [];
        }
      })
      .filter((e) => e.msg === 'request' && (e.status ?? 0) >= 400 && e.path !== '/favicon.ico')
      .map((e) => `${e.method} ${e.path} → ${e.status}`);
    expect(failed, 'requests that failed, from the server log').toEqual([]);
  }, 120_000);

  it('signs out from the header, and /staff then asks to sign in again', async () => {
    const { app, base, browser, problems } = await servedWithAdmin('sign-out', 'optional', cleanups);
    const page = await signedInStaffPage(browser, app, base, EMAIL, { baseURL: base, ...devices.desk });
    const desk = problems.watch(page, 'desk');
    await desk.goto('/staff');
    await heading(desk, 'Today').waitFor();

    await desk.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(desk, 'Sign in').waitFor();
    expect(new URL(desk.url()).pathname).toBe('/staff/login');
    await desk.goto('/staff');
    await heading(desk, 'Sign in').waitFor(); // really signed out
    expect(problems.list(), 'console errors, page errors or failed requests in the browser').toEqual([]);
  }, 60_000);

  it('signs in with the password and the authenticator app’s code, then on a second device with the next code', async () => {
    const started = Date.now();
    const { app, admin, base, browser, problems } = await servedWithAdmin('sign-in', 'required', cleanups);
    const authenticatorApp = await enrolAuthenticator(app, admin.id);

    // The desk: a code for the step after the enrolment's, accepted at once.
    const desk = await newDevice(browser, base, 'desk', problems);
    await desk.goto('/staff/login');
    await signInWithCode(desk, authenticatorApp);
    expect(new URL(desk.url()).pathname).toBe('/staff');

    // The tablet: a second browser context signs in too (waits for the next TOTP step).
    const tablet = await newDevice(browser, base, 'tablet', problems);
    await tablet.goto('/staff/login');
    await signInWithCode(tablet, authenticatorApp);
    expect(new URL(tablet.url()).pathname).toBe('/staff');

    console.log(
      `browser test: two sign-ins with a code took ${((Date.now() - started) / 1000).toFixed(1)} s, of which ${(authenticatorApp.waitedMs / 1000).toFixed(1)} s waiting for the next TOTP step`,
    );
    expect(problems.list(), 'console errors, page errors or failed requests in the browser').toEqual([]);
  }, 120_000);

  it('lists each signed-in device on the account page and signs one out: its session ends, this one stays', async () => {
    const { base, browser, problems } = await servedWithAdmin('sessions', 'optional', cleanups);
    const [desk, tablet] = [
      await newDevice(browser, base, 'desk', problems),
      await newDevice(browser, base, 'tablet', problems),
    ];
    for (const page of [desk, tablet]) {
      await page.goto('/staff/login');
      await submitPassword(page);
      await heading(page, 'Today').waitFor();
    }

    // The desk: the account page lists both devices; sign the tablet out.
    await desk.goto('/staff/account');
    await heading(desk, 'Your account').waitFor();
    const rows = desk.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const deskRow = rows.filter({ hasText: 'Desk' });
    const tabletRow = rows.filter({ hasText: 'Tablet' });
    expect(await deskRow.textContent()).toContain('(this browser)');
    expect(await tabletRow.textContent()).not.toContain('(this browser)');
    expect(await seriousA11yViolations(desk)).toEqual([]);
    const shotAccount = join(screenshotDir, '3-account.png');
    await desk.screenshot({ path: shotAccount, fullPage: true });
    await tabletRow.getByRole('button', { name: 'Sign out this device', exact: true }).click();
    await desk.getByRole('status').filter({ hasText: 'That device is signed out.' }).waitFor();
    expect(await desk.locator('tbody tr').count()).toBe(1);
    expect(await desk.locator('tbody tr').textContent()).toContain('(this browser)');
    const shotRevoked = join(screenshotDir, '4-account-after-revoke.png');
    await desk.screenshot({ path: shotRevoked, fullPage: true });

    // The tablet: its session is gone.
    await tablet.goto('/staff');
    await heading(tablet, 'Sign in').waitFor();
    expect(new URL(tablet.url()).pathname).toBe('/staff/login');
    // The desk is still signed in.
    await desk.goto('/staff');
    await heading(desk, 'Today').waitFor();
    console.log(`browser test: screenshots ${shotAccount}, ${shotRevoked}`);
    expect(problems.list(), 'console errors, page errors or failed requests in the browser').toEqual([]);
  }, 60_000);
});
