import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { scrollsSideways } from '../../src/testing/page-layout.ts';
import { a11y } from './a11y.ts';

/** Debian's Chromium, driven by playwright-core (`npx playwright install` cannot work here). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Browser tests skip where Chromium is missing, except in CI, where a missing one must fail. */
export const haveChromium = existsSync(CHROMIUM);
export const skipBrowserTests = !haveChromium && !process.env.CI;
/** Where the browser tests save their screenshots. */
export const screenshotDir = join(tmpdir(), 'clinicbox-screenshots');

/** A platform authenticator that always says yes (DevTools WebAuthn domain), for passkey tests. */
export async function addVirtualAuthenticator(cdp: CDPSession): Promise<void> {
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
}

/** Debian's Chromium, closed by the test's cleanups; the screenshot folder made. */
export async function launchChromium(cleanups: (() => Promise<unknown>)[]): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  cleanups.push(() => browser.close());
  return browser;
}

/**
 * The page's uncaught errors as they happen, and its console errors too when `console` is set
 * (those matching `console.except` left out: Chromium logs every 4xx answer as one).
 */
export function pageErrors(page: Page, options: { console?: { except?: RegExp } } = {}): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const { console } = options;
  if (console)
    page.on('console', (m) => {
      if (m.type() === 'error' && !console.except?.test(m.text())) errors.push(m.text());
    });
  return errors;
}

/** A phone's viewport: the browser tests look at their pages at a laptop's size and at this one. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/**
 * Screenshots of whole pages in screenshotDir named `<prefix><name>.png`: `shot` takes one;
 * `desktopThenPhone` takes `<name>-desktop` at the page's size, then `<name>-phone` at a phone's
 * (PHONE_VIEWPORT), where it leaves the page. `checkAtBothSizes` also expects no serious axe-core
 * violation and nothing wider than the screen at either size (and `atPhone`'s checks at the
 * phone's), then puts the page back at a laptop's size (1280×800).
 */
export function pageShots(prefix: string) {
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(screenshotDir, `${prefix}${name}.png`), fullPage: true });
  const desktopThenPhone = async (page: Page, name: string): Promise<void> => {
    await shot(page, `${name}-desktop`);
    await page.setViewportSize(PHONE_VIEWPORT);
    await shot(page, `${name}-phone`);
  };
  return {
    shot,
    desktopThenPhone,
    async checkAtBothSizes(page: Page, name: string, atPhone?: () => Promise<void>): Promise<void> {
      await a11y(page, name);
      expect(await scrollsSideways(page)).toBe(false);
      await desktopThenPhone(page, name);
      await atPhone?.();
      expect(await scrollsSideways(page)).toBe(false);
      await page.setViewportSize({ width: 1280, height: 800 });
    },
  };
}
