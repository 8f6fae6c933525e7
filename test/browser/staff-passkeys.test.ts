import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startCli } from '../../src/testing/process.ts';
import { addVirtualAuthenticator, CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from './chromium.ts';

/**
 * Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain) stands
 * in for a phone or laptop with a fingerprint reader.
 */
const PASSWORD = 'purple tractor sings softly';

/**
 * A fresh server (extra serve flags allowed) and a page with a virtual authenticator, on the
 * first-run setup link with the first admin created; cleans up and expects a clean exit.
 */
async function withPasskeyPage(flags: string[], body: (page: Page, base: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-passkeys-'));
  const server = await startCli(
    ['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-format', 'json', ...flags],
    /http:\/\/127\.0\.0\.1:(\d+)\/staff\/setup\?token=([\w-]{43})/,
    { cwd: dir },
  );
  // WebAuthn refuses IP addresses as the site's identity: use the name localhost.
  const base = `http://localhost:${server.match[1]}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await addVirtualAuthenticator(cdp);
    await page.goto(`${base}/staff/setup?token=${server.match[2]}`);
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@clinic.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await body(page, base);
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    expect((await server.finished).code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }
}

const headingIs = (page: Page, text: string) =>
  expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe(text);

describe.skipIf(skipBrowserTests)('staff passkeys in a real browser', () => {
  it('adds a passkey, then signs in with it and no password', async () => {
    await withPasskeyPage(['--staff-mfa', 'optional'], async (page, base) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await headingIs(page, 'Today');
      await page.goto(`${base}/staff/account`);
      await page.getByLabel('Name for a new passkey').fill('Test laptop');
      await page.getByLabel('Your password, to confirm it’s you').fill(PASSWORD);
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByText('Your passkey is added').waitFor();
      expect(await page.getByText('Test laptop').count()).toBe(1);

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await headingIs(page, 'Today');
      await page.goto(`${base}/staff/account`);
      expect(await page.locator('li', { hasText: 'Test laptop' }).textContent()).not.toContain(
        'last used never',
      );
      expect(errors).toEqual([]);
    });
  }, 90_000);

  it('with a second factor required, a passkey can stand in for the authenticator app', async () => {
    await withPasskeyPage([], async (page) => {
      await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
      await page.getByRole('button', { name: 'Add a passkey instead' }).click();
      await headingIs(page, 'Today');

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.getByLabel('Email').fill('ada@clinic.example');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
      expect(await page.getByLabel('Code').count()).toBe(0); // no authenticator app was set up
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await headingIs(page, 'Today');
    });
  }, 90_000);
});
