import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedClinic } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { addVirtualAuthenticator, CHROMIUM, CHROMIUM_ARGS, skipBrowserTests } from './chromium.ts';
import { servedApp } from './served-app.ts';

/**
 * A patient adds a passkey and signs in with it alone, in Debian Chromium with its virtual
 * authenticator (DevTools WebAuthn domain), through the API from a page on the server's origin
 * (the patient app's screens come later). The code for the first sign-in is made in-process.
 */

describe.skipIf(skipBrowserTests)('patient passkeys in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('adds a passkey after a code sign-in, then signs in with it and nothing else', async () => {
    const { app, server, stop } = await servedApp('patient-passkeys');
    cleanups.push(stop);
    await seedClinic(app, { practitioners: 1, patients: 1 });
    // WebAuthn refuses IP addresses as the site's identity: use the name localhost.
    const base = `http://localhost:${server.port}`;

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await addVirtualAuthenticator(cdp);
    await page.goto(`${base}/app/`);
    await page.addScriptTag({ url: '/static/vendor/simplewebauthn/index.umd.min.js' });

    const issued = await app.deps.patientSignIn.issueCode('email:maya@example.org', true);
    const result = await page.evaluate(async (code) => {
      const post = (path: string, body: unknown) =>
        fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const wa = (
        window as unknown as {
          SimpleWebAuthnBrowser: {
            startRegistration(o: unknown): Promise<unknown>;
            startAuthentication(o: unknown): Promise<unknown>;
          };
        }
      ).SimpleWebAuthnBrowser;
      const verified = await post('/api/v1/auth/verify', { email: 'maya@example.org', code });
      const registered = await post('/api/v1/me/registration', {
        firstName: 'Maya',
        lastName: 'Lind',
        dateOfBirth: '1990-10-10',
        acceptTerms: true,
      });
      const patientId = ((await registered.json()) as { patient: { id: string } }).patient.id;
      const optionsJSON = await (await post('/api/v1/me/passkeys/options', {})).json();
      const response = await wa.startRegistration({ optionsJSON });
      const added = await post('/api/v1/me/passkeys', { name: 'My phone', response });
      const signedOut = await post('/api/v1/auth/sign-out', {});
      const afterSignOut = (await fetch('/api/v1/me')).status;
      const signInOptions = await (await post('/api/v1/auth/passkey/options', {})).json();
      const assertion = await wa.startAuthentication({ optionsJSON: signInOptions });
      const signedIn = await post('/api/v1/auth/passkey', assertion);
      const me = (await (await fetch('/api/v1/me')).json()) as { patient: { id: string } };
      const replay = await post('/api/v1/auth/passkey', assertion);
      return {
        verified: verified.status,
        patientId,
        added: added.status,
        signedOut: signedOut.status,
        afterSignOut,
        signedIn: signedIn.status,
        meId: me.patient.id,
        replay: replay.status,
      };
    }, issued!.code);

    expect(result).toEqual({
      verified: 200,
      patientId: result.patientId,
      added: 201,
      signedOut: 204,
      afterSignOut: 401,
      signedIn: 200,
      meId: result.patientId,
      replay: 401, // the challenge was spent
    });
    const passkeys = await app.deps.patientPasskeys.list(result.patientId);
    expect(passkeys.map((p) => p.name)).toEqual(['My phone']);
    expect(passkeys[0]!.lastUsedAt).not.toBeNull();
  }, 60_000);
});
