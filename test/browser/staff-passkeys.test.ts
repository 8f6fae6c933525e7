import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startCli } from '../../src/testing/process.ts';

/**
 * Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain) stands
 * in for a phone or laptop with a fingerprint reader. Add a passkey on the account page, sign out,
 * sign in with the passkey alone.
 */
const CHROMIUM = '/usr/bin/chromium';
const run = existsSync(CHROMIUM) || Boolean(process.env.CI);

describe.skipIf(!run)('staff passkeys in a real browser', () => {
  it('adds a passkey, then signs in with it and no password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinicbox-passkeys-'));
    const server = await startCli(
      [
        'serve',
        '--port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--staff-mfa',
        'optional',
        '--log-format',
        'json',
      ],
      /http:\/\/127\.0\.0\.1:(\d+)\/staff\/setup\?token=([\w-]{43})/,
      { cwd: dir },
    );
    // WebAuthn refuses IP addresses as the site's identity: use the name localhost.
    const base = `http://localhost:${server.match[1]}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      await page.goto(`${base}/staff/setup?token=${server.match[2]}`);
      await page.getByLabel('Your name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill('ada@clinic.example');
      await page.getByLabel('Password').fill('purple tractor sings softly');
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Today');

      await page.goto(`${base}/staff/account`);
      await page.getByLabel('Name for a new passkey').fill('Test laptop');
      await page.getByLabel('Your password, to confirm it’s you').fill('purple tractor sings softly');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByText('Your passkey is added').waitFor();
      expect(await page.getByText('Test laptop').count()).toBe(1);

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
        .toBe('Today');
      await page.goto(`${base}/staff/account`);
      expect(await page.locator('li', { hasText: 'Test laptop' }).textContent()).not.toContain(
        'last used never',
      );
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.child.kill('SIGTERM');
      expect((await server.finished).code).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('with a second factor required, a passkey can stand in for the authenticator app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinicbox-passkeys-'));
    const server = await startCli(
      ['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-format', 'json'],
      /http:\/\/127\.0\.0\.1:(\d+)\/staff\/setup\?token=([\w-]{43})/,
      { cwd: dir },
    );
    const base = `http://localhost:${server.match[1]}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      await page.goto(`${base}/staff/setup?token=${server.match[2]}`);
      await page.getByLabel('Your name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill('ada@clinic.example');
      await page.getByLabel('Password').fill('purple tractor sings softly');
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
      await page.getByRole('button', { name: 'Add a passkey instead' }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
        .toBe('Today');

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.getByLabel('Email').fill('ada@clinic.example');
      await page.getByLabel('Password').fill('purple tractor sings softly');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
      expect(await page.getByLabel('Code').count()).toBe(0); // no authenticator app was set up
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
        .toBe('Today');
    } finally {
      await browser.close();
      server.child.kill('SIGTERM');
      expect((await server.finished).code).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
