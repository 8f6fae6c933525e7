import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../src/testing/process.ts';
import { sleep } from '../../src/testing/wait.ts';
import { seriousA11yViolations } from './a11y.ts';
import { CHROMIUM, CHROMIUM_ARGS, screenshotDir, skipBrowserTests } from './chromium.ts';

/**
 * Issue 4 in a real browser (Debian Chromium driven by playwright-core), through the UI only:
 * first-run setup link → admin created → TOTP enrolled → sign out → sign in with password and
 * TOTP → revoke the session from a second browser context.
 *
 * Timing: a TOTP step (30 s) works once per account and the server accepts ±1 step. Enrollment
 * spends the current step S, the first sign-in spends S+1 (accepted at once), and the second
 * sign-in needs S+2, which the server only accepts once its clock has reached S+1. So the test
 * waits for the next step boundary once: 0–30 s, about 15 s on average; the whole test took
 * 6–30 s wall time here (vitest run test/browser).
 *
 * Without /usr/bin/chromium the test is skipped locally; with CI set it must run and fails.
 * Screenshots go to <os tmpdir>/clinicbox-screenshots/.
 */

const PERIOD_MS = 30_000;
const currentStep = () => Math.floor(Date.now() / PERIOD_MS);

/** The code the authenticator app would show at TOTP step `step`. */
const codeAt = (key: string, step: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key), digits: 6, period: 30 }).generate({
    timestamp: step * PERIOD_MS,
  });

/**
 * A code the server will accept after `lastUsed` was spent: step lastUsed+1, which is inside the
 * server's ±1 window once the clock has reached step lastUsed. Waits for that if needed.
 */
let waitedMs = 0;
async function nextCode(key: string, lastUsed: number): Promise<{ code: string; step: number }> {
  const from = Date.now();
  while (currentStep() < lastUsed) {
    // Real time: the server's clock must reach the next TOTP step (a little margin for rounding).
    await sleep(PERIOD_MS - (Date.now() % PERIOD_MS) + 250);
  }
  waitedMs += Date.now() - from;
  return { code: codeAt(key, lastUsed + 1), step: lastUsed + 1 };
}

const NAME = 'Ada Lovelace';
const EMAIL = 'ada@clinic.example';
const PASSWORD = 'purple tractor sings softly';

if (skipBrowserTests) {
  console.warn(
    `test/browser: skipping the browser tests, ${CHROMIUM} is missing (install it: apt-get install -y chromium). With CI set they run and fail instead.`,
  );
}

describe.skipIf(skipBrowserTests)('staff sign-in in a real browser (issue 4)', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  it('setup link → admin → TOTP → sign out → sign in with TOTP → revoke from a second device', async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing (CI is set, so the browser test must run): apt-get install -y chromium`,
    ).toBe(true);
    const started = Date.now();
    mkdirSync(screenshotDir, { recursive: true });

    const tmp = mkdtempSync(join(tmpdir(), 'clinicbox-browser-'));
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
    const { child, match, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', join(tmp, 'data'), '--log-format', 'json'],
      /(http:\/\/127\.0\.0\.1:\d+)\/staff\/setup\?token=([\w-]{43})/,
      { cwd: tmp, timeoutMs: 60_000 },
    );
    let serverStopped = false;
    cleanups.push(() => {
      if (!serverStopped) child.kill('SIGKILL');
    });
    const base = match[1]!;
    const setupUrl = `${base}/staff/setup?token=${match[2]!}`;

    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());

    // Anything the pages log as an error or throw (CSP violations show up here) is reported at the end.
    const problems: string[] = [];
    const watch = (page: Page, label: string) => {
      page.on('console', (m) => {
        // Failed loads name the page, not the resource: the server's request log below covers them.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
          problems.push(`${label} console: ${m.text()} (${page.url()})`);
      });
      page.on('pageerror', (e) => problems.push(`${label} pageerror: ${e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 400 && r.request().resourceType() !== 'document')
          problems.push(`${label} ${r.request().resourceType()} ${r.url()} → ${r.status()}`);
      });
      return page;
    };
    const newDevice = async (
      label: string,
      userAgent: string,
      viewport: { width: number; height: number },
    ) => {
      const context: BrowserContext = await browser.newContext({ baseURL: base, userAgent, viewport });
      return watch(await context.newPage(), label);
    };
    const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

    // 1. Desk: the one-time setup link, the first administrator.
    const desk = await newDevice('desk', 'Mozilla/5.0 (X11; Linux x86_64) ClinicboxTest Desk', {
      width: 1280,
      height: 800,
    });
    await desk.goto(setupUrl);
    await expect(heading(desk, 'Set up Clinicbox').isVisible()).resolves.toBe(true);
    expect(await seriousA11yViolations(desk)).toEqual([]);
    await desk.getByLabel('Your name', { exact: true }).fill(NAME);
    await desk.getByLabel('Email', { exact: true }).fill(EMAIL);
    await desk.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await desk.getByRole('button', { name: 'Create administrator', exact: true }).click();

    // 2. TOTP set-up: QR code and key; confirm with the current code; recovery codes; Today.
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

    let lastUsed = currentStep();
    await desk.getByLabel('Code from the app', { exact: true }).fill(codeAt(key, lastUsed));
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

    // 3. Sign out from the header.
    await banner.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(desk, 'Sign in').waitFor();
    expect(new URL(desk.url()).pathname).toBe('/staff/login');
    await desk.goto('/staff');
    await heading(desk, 'Sign in').waitFor(); // really signed out

    // 4. Sign in with password, then a code for the next step (accepted at once).
    const signIn = async (page: Page) => {
      await page.getByLabel('Email', { exact: true }).fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await heading(page, 'Confirm it’s you').waitFor();
      const next = await nextCode(key, lastUsed);
      await page.getByLabel('Code', { exact: true }).fill(next.code);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await heading(page, 'Today').waitFor();
      lastUsed = next.step;
    };
    await signIn(desk);
    expect(new URL(desk.url()).pathname).toBe('/staff');

    // 5. Tablet: a second browser context signs in too (waits for the next TOTP step).
    const tablet = await newDevice('tablet', 'Mozilla/5.0 (Linux; Android 14) ClinicboxTest Tablet', {
      width: 820,
      height: 1180,
    });
    await tablet.goto('/staff/login');
    await signIn(tablet);

    // 6. Desk: the account page lists both devices; sign the tablet out.
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
    await desk.screenshot({ path: join(screenshotDir, '4-account-after-revoke.png'), fullPage: true });

    // 7. Tablet: its session is gone.
    await tablet.goto('/staff');
    await heading(tablet, 'Sign in').waitFor();
    expect(new URL(tablet.url()).pathname).toBe('/staff/login');
    // The desk is still signed in.
    await desk.goto('/staff');
    await heading(desk, 'Today').waitFor();

    console.log(
      `browser test: screenshots in ${screenshotDir} (${shotTotp}, ${shotToday}, ${shotAccount}); flow took ${((Date.now() - started) / 1000).toFixed(1)} s, of which ${(waitedMs / 1000).toFixed(1)} s waiting for the next TOTP step`,
    );
    expect(problems, 'console errors or page errors in the browser').toEqual([]);

    await browser.close();
    child.kill('SIGTERM');
    const done = await finished;
    serverStopped = true;
    expect(done.code, `server exit; stderr:\n${done.stderr}`).toBe(0);

    // Every request the browsers made succeeded (or redirected), as the server logged them.
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
});
