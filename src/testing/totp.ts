import * as OTPAuth from 'otpauth';
import { systemActor } from '../domain/audit/index.ts';
import type { TestApp } from './app.ts';
import { type TestBrowser, type TestBrowserOptions, testBrowser } from './browser.ts';
import { STAFF_PASSWORD } from './signed-in.ts';

/** The code an authenticator app shows for `secret` (base32) at `at`. */
export const totpCode = (secret: string, at: Date): string =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });

/**
 * Enrols an authenticator app for a staff member through the accounts service, as the set-up
 * page would, at the app's clock; returns the secret.
 */
export async function enrolTotp(app: TestApp, accountId: string): Promise<string> {
  const secret = await app.deps.staff.accounts.beginTotp(systemActor, accountId, 'enrol');
  await app.deps.staff.accounts.confirmTotp(systemActor, accountId, totpCode(secret, app.clock.now()));
  return secret;
}

/**
 * A test browser signed in with the password and then the authenticator app's code, both checked.
 * Each code is used once: the app's clock moves on a 30-second step first.
 */
export async function signedInWithCode(
  app: TestApp,
  email: string,
  secret: string,
  options: { password?: string; browser?: TestBrowserOptions } = {},
): Promise<TestBrowser> {
  const browser = testBrowser(app.http, options.browser);
  const first = await browser.signIn(email, options.password ?? STAFF_PASSWORD);
  if (first.headers.get('location') !== '/staff/login/code?next=%2Fstaff')
    throw new Error(`signing in as ${email} answered ${first.status} → ${first.headers.get('location')}`);
  await browser.text(await browser.get('/staff/login/code'));
  app.clock.advance(30_000);
  const res = await browser.post('/staff/login/code', { code: totpCode(secret, app.clock.now()) });
  if (res.headers.get('location') !== '/staff')
    throw new Error(`the code for ${email} answered ${res.status} → ${res.headers.get('location')}`);
  return browser;
}
