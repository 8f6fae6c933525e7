import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';

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
