import type { Browser, BrowserContext, BrowserContextOptions, Page, ViewportSize } from 'playwright-core';
import type { App } from '../../src/app.ts';
import { listen } from '../../src/http/listen.ts';
import type { Cleanups } from '../../src/testing/lifecycle.ts';
import { startPatientSession } from '../../src/testing/patient-browser.ts';
import { signedInAs } from '../../src/testing/signed-in.ts';
import { launchChromium, pageErrors } from './chromium.ts';
import { servedClinic } from './served-app.ts';

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
 * A Chromium (closed by `cleanups`) and a page in it signed in as the staff member `email` on
 * `base` (signedInStaffPage), at `viewport` (default a laptop's 1280x800), with the page's errors
 * collected (pageErrors, with `errors` as its options). `browser` opens more pages.
 */
export async function staffChromiumPage(
  cleanups: Cleanups,
  app: App,
  base: string,
  email: string,
  options: { viewport?: ViewportSize; errors?: Parameters<typeof pageErrors>[1] } = {},
): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await launchChromium(cleanups);
  const page = await signedInStaffPage(browser, app, base, email, {
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  return { browser, page, errors: pageErrors(page, options.errors) };
}

/**
 * A practitioner at a patient's chart in Chromium: servedClinic with one patient (the clinic in
 * London), and a page signed in as practitioner 1 (staffChromiumPage, with `options`); `chart` is
 * that patient's chart's URL.
 */
export async function practitionerAtChart(
  cleanups: Cleanups,
  name: string,
  options: Parameters<typeof staffChromiumPage>[4] = {},
) {
  const { app, base, clinic } = await servedClinic(cleanups, name, {
    patients: 1,
    timeZone: 'Europe/London',
  });
  const patientId = clinic.patientIds[0]!;
  const chromium = await staffChromiumPage(cleanups, app, base, 'p1@clinic.example', options);
  return { app, base, clinic, patientId, chart: `${base}/staff/patients/${patientId}`, ...chromium };
}

/**
 * `app` served on a free port and a laptop-sized Chromium page signed in as the staff member
 * `email` on it (staffChromiumPage); the server and browser end with `cleanups`.
 */
export async function staffPageOnServedApp(
  app: App,
  cleanups: Cleanups,
  email: string,
): Promise<{ base: string; page: Page; errors: string[] }> {
  const server = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
  cleanups.push(() => server.close(1000));
  const { page, errors } = await staffChromiumPage(cleanups, app, server.url, email);
  return { base: server.url, page, errors };
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
