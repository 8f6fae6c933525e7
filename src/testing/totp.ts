import * as OTPAuth from 'otpauth';
import { systemActor } from '../domain/audit/index.ts';
import type { TestApp } from './app.ts';
import type { TestBrowser } from './browser.ts';
import { postSignIn, type SignInOptions } from './signed-in.ts';

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
  options: SignInOptions = {},
): Promise<TestBrowser> {
  const browser = await postSignIn(app, email, '/staff/login/code?next=%2Fstaff', options);
  await browser.text(await browser.get('/staff/login/code'));
  app.clock.advance(30_000);
  const res = await browser.post('/staff/login/code', { code: totpCode(secret, app.clock.now()) });
  if (res.headers.get('location') !== '/staff')
    throw new Error(`the code for ${email} answered ${res.status} → ${res.headers.get('location')}`);
  return browser;
}
