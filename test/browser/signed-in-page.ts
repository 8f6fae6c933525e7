import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { App } from '../../src/app.ts';
import { startPatientSession } from '../../src/testing/patient-browser.ts';
import { signedInAs } from '../../src/testing/signed-in.ts';

/**
 * A Chromium page signed in as a staff member on record: the session comes from the sign-in form
 * over HTTP (signedInAs) and is handed to the browser as its cookies. Signing in through the page
 * itself is staff-sign-in.test.ts's subject.
 */
export async function signedInStaffPage(
  browser: Browser,
  app: App,
  base: string,
  email: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const http = await signedInAs(app, email);
  const context = await browser.newContext(options);
  await context.addCookies([...http.cookies].map(([name, value]) => ({ name, value, url: base })));
  return context.newPage();
}

/**
 * Signs a browser context in to the patient app as a patient on record, with the session a code
 * sign-in ends with (signing in with a code in the page is patient-app.test.ts's first test).
 */
export async function signInPatientContext(
  context: BrowserContext,
  app: App,
  base: string,
  patientId: string,
): Promise<void> {
  const token = await startPatientSession(app, patientId);
  await context.addCookies([{ name: 'cb_patient', value: token, url: base }]);
}
