import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { testBrowser } from '../../src/testing/browser.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { type OidcProviderPeer, startOidcProvider } from '../../src/testing/peers/oidc-provider.ts';
import { STAFF_PASSWORD, staffMember } from '../../src/testing/signed-in.ts';
import { enrolTotp } from '../../src/testing/totp.ts';
import { launchChromium, skipBrowserTests } from '../browser/chromium.ts';

/*
 * Issue 14 ("Also"): the staff session cookie was SameSite=Lax, so a link or a top-level GET
 * from another site arrived signed in. It is SameSite=Strict now. Single sign-on comes back from
 * the provider — another site — by a top-level navigation, whose redirects would carry no Strict
 * cookie: the sign-ins are checked in a real browser (Chromium), with the provider on
 * 127.0.0.1 and Clinicbox on localhost (two sites).
 */
describe('the staff session cookie (issue 14)', () => {
  it('is SameSite=Strict (and HttpOnly) after a password sign-in', async () => {
    const app = await createTestApp({ config: { staffMfa: 'optional' } });
    try {
      await staffMember(app, 'admin', { email: 'ada@clinic.example' });
      const res = await testBrowser(app.http).signIn('ada@clinic.example', STAFF_PASSWORD);
      expect(res.status).toBe(303);
      const session = res.headers.getSetCookie().find((c) => c.startsWith('cb_staff='));
      expect(session).toMatch(/; SameSite=Strict/);
      expect(session).toMatch(/; HttpOnly/);
    } finally {
      await app.destroy();
    }
  });
});

describe.skipIf(skipBrowserTests)(
  'staff sign-ins in Chromium with a Strict session cookie (issue 14)',
  () => {
    const cleanups = cleanupsAfterAll();
    let app: TestApp;
    let base: string;
    let chromium: Browser;
    beforeAll(async () => {
      // The app's address is needed by the provider (its redirect URI), the provider's by the app.
      let served: TestApp | null = null;
      const server = await listen((req, env) => served!.http.fetch(req, env), { port: 0, host: '127.0.0.1' });
      cleanups.push(() => server.close(1000));
      base = `http://localhost:${server.port}`;
      const provider: OidcProviderPeer = await startOidcProvider({
        users: {
          'u-ada': { email: 'ada@clinic.example', email_verified: true, name: 'Ada', amr: ['pwd', 'otp'] },
          'u-cy': { email: 'cy@clinic.example', email_verified: true, name: 'Cy', amr: ['pwd'] },
        },
        redirectUris: [`${base}/staff/login/sso/callback`],
      });
      cleanups.push(() => provider.stop());
      app = await createTestApp({
        config: {
          staffMfa: 'optional',
          oidcIssuer: provider.issuer,
          oidcClientId: provider.clientId,
          oidcClientSecret: provider.clientSecret,
        },
      });
      served = app;
      cleanups.push(() => app.destroy());
      await staffMember(app, 'practitioner', { email: 'ada@clinic.example', name: 'Ada' });
      const { account: cy } = await staffMember(app, 'practitioner', {
        email: 'cy@clinic.example',
        name: 'Cy',
      });
      await enrolTotp(app, cy.id);
      chromium = await launchChromium(cleanups);
    });

    /** Signs in at the provider's development login form as `sub` and consents, as the user would. */
    async function atProvider(page: Page, sub: string): Promise<void> {
      await page.waitForURL((url) => url.origin !== base);
      await page.fill('input[name="login"]', sub);
      await page.fill('input[name="password"]', 'any');
      await page.click('button[type="submit"]');
      await page.waitForLoadState();
      if (new URL(page.url()).origin !== base) await page.click('button[type="submit"]'); // consent
    }
    /** Where the browser comes to rest on Clinicbox after single sign-on (past the callback). */
    async function landing(page: Page): Promise<string> {
      await page.waitForURL((url) => url.origin === base && !url.pathname.startsWith('/staff/login/sso'), {
        timeout: 10_000,
      });
      await page.waitForLoadState();
      const url = new URL(page.url());
      return url.pathname + url.search;
    }

    it('a password sign-in lands signed in', async () => {
      const page = await (await chromium.newContext()).newPage();
      await page.goto(`${base}/staff/login`);
      await page.fill('input[name="email"]', 'ada@clinic.example');
      await page.fill('input[name="password"]', STAFF_PASSWORD);
      await page.click('form[action^="/staff/login"] button[type="submit"]');
      await page.waitForURL(`${base}/staff`);
      expect(await page.locator('input[name="password"]').count()).toBe(0);
      const [cookie] = (await page.context().cookies(base)).filter((c) => c.name === 'cb_staff');
      expect(cookie?.sameSite).toBe('Strict');
    });

    it('single sign-on from the provider’s site lands signed in, where the member was going', async () => {
      const page = await (await chromium.newContext()).newPage();
      await page.goto(`${base}/staff/login/sso?next=%2Fstaff%2Faccount`);
      await atProvider(page, 'u-ada');
      expect(await landing(page)).toBe('/staff/account');
      expect(await page.content()).toContain('Where you are signed in');
    });

    it('single sign-on that owes a second factor lands on the code page, not the sign-in form', async () => {
      const page = await (await chromium.newContext()).newPage();
      await page.goto(`${base}/staff/login/sso`);
      await atProvider(page, 'u-cy');
      expect(await landing(page)).toBe('/staff/login/code?next=%2Fstaff');
      expect(await page.locator('input[name="code"]').count()).toBe(1);
    });
  },
);
