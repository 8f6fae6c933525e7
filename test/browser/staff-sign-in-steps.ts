import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { App } from '../../src/app.ts';
import type { Config } from '../../src/config/index.ts';
import type { StaffRole } from '../../src/domain/accounts/index.ts';
import { systemActor } from '../../src/domain/audit/index.ts';
import { smtpTransport } from '../../src/notify/email/index.ts';
import { staffMember } from '../../src/testing/signed-in.ts';
import { totpCode } from '../../src/testing/totp.ts';
import { sleep } from '../../src/testing/wait.ts';
import { launchChromium, pageErrors } from './chromium.ts';
import { servedApp } from './served-app.ts';

/**
 * The steps of the staff sign-in browser tests (staff-sign-in.test.ts): the administrator they
 * sign in as, the two devices, the sign-in form, and an authenticator app that keeps to real time.
 */

export const NAME = 'Ada Lovelace';
export const EMAIL = 'ada@clinic.example';
export const PASSWORD = 'purple tractor sings softly';

/** The two browsers the administrator uses; the account page names each session by its user agent. */
export const devices = {
  desk: {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) ClinicboxTest Desk',
    viewport: { width: 1280, height: 800 },
  },
  tablet: {
    userAgent: 'Mozilla/5.0 (Linux; Android 14) ClinicboxTest Tablet',
    viewport: { width: 820, height: 1180 },
  },
};

export const heading = (page: Page, name: string) =>
  page.getByRole('heading', { level: 1, name, exact: true });

/**
 * Watches pages for what they log as an error or throw (CSP violations show up here) and for
 * every answer of 400 or more they get; `list()` is all of it so far, each line naming its page.
 * /favicon.ico is not served yet (Chromium asks for it on every new origin): tolerated for now.
 */
export function problemWatch() {
  const sources: (() => string[])[] = [];
  return {
    watch(page: Page, label: string): Page {
      // Failed loads name the page, not the resource: the response listener names them instead.
      const errors = pageErrors(page, { console: { except: /^Failed to load resource/ } });
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
          failed.push(`${label} ${r.request().resourceType()} ${r.url()} → ${r.status()}`);
      });
      sources.push(() => [...errors.map((e) => `${label}: ${e}`), ...failed]);
      return page;
    },
    list: () => sources.flatMap((source) => source()),
  };
}
export type ProblemWatch = ReturnType<typeof problemWatch>;

/**
 * A new browser context on `base` (with `options`) that is the administrator's `device`, watched
 * for problems.
 */
export async function newDevice(
  browser: Browser,
  base: string,
  device: keyof typeof devices,
  problems: ProblemWatch,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, ...options, ...devices[device] });
  return problems.watch(await context.newPage(), device);
}

/** Fills the sign-in form on `page` with the administrator's email and `password`, and sends it. */
export async function submitPassword(page: Page, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const PERIOD_MS = 30_000;
/** The TOTP step of the real clock (the served app keeps real time). */
export const currentStep = () => Math.floor(Date.now() / PERIOD_MS);
/** The code the authenticator app would show at TOTP step `step`. */
export const codeAt = (key: string, step: number) => totpCode(key, new Date(step * PERIOD_MS));

/**
 * The authenticator app for `key`, whose code of step `lastUsed` the server has seen. A TOTP step
 * (30 s) works once per account and the server accepts ±1 step: each code it gives is for the
 * step after the last one used, which the server accepts once its clock has reached that last
 * one. So a first sign-in after enrolment goes through at once, a second waits for the next step
 * boundary: 0–30 s, about 15 s on average.
 */
export function authenticator(key: string, lastUsed: number) {
  let waitedMs = 0;
  return {
    /** How long codes have waited for the clock so far. */
    get waitedMs() {
      return waitedMs;
    },
    async nextCode(): Promise<string> {
      const from = Date.now();
      while (currentStep() < lastUsed) {
        // Real time: the server's clock must reach the next TOTP step (a little margin for rounding).
        await sleep(PERIOD_MS - (Date.now() % PERIOD_MS) + 250);
      }
      waitedMs += Date.now() - from;
      lastUsed += 1;
      return codeAt(key, lastUsed);
    },
  };
}

/** Signs in on `page` (at the sign-in form) with `password`, then the app's next code; ends on Today. */
export async function signInWithCode(
  page: Page,
  app: ReturnType<typeof authenticator>,
  password = PASSWORD,
): Promise<void> {
  await submitPassword(page, password);
  await heading(page, 'Confirm it’s you').waitFor();
  await page.getByLabel('Code', { exact: true }).fill(await app.nextCode());
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await heading(page, 'Today').waitFor();
}

/**
 * One test's served app (see servedApp) with the administrator on record (NAME, EMAIL, PASSWORD,
 * made through the accounts service; of `role`, admin unless told) and a second factor `staffMfa`;
 * Chromium; both closed by `cleanups`; and a watch for problems in the pages it opens. With
 * `mailTo` (an SMTP server's URL) the app runs its worker, which sends its email there.
 */
export async function servedWithAdmin(
  name: string,
  staffMfa: Config['staffMfa'],
  cleanups: (() => Promise<unknown>)[],
  options: { role?: StaffRole; mailTo?: string } = {},
) {
  const { mailTo } = options;
  const { app, server, stop } = mailTo
    ? await servedApp(
        name,
        { staffMfa, jobPollInterval: 50 },
        {
          worker: true,
          mail: smtpTransport({
            url: mailTo,
            from: 'Clinic <desk@clinic.example>',
            connectionTimeoutMs: 5000,
          }),
        },
      )
    : await servedApp(name, { staffMfa });
  cleanups.push(stop);
  if (mailTo) await app.start();
  const { account } = await staffMember(app, options.role ?? 'admin', {
    email: EMAIL,
    name: NAME,
    password: PASSWORD,
  });
  const browser = await launchChromium(cleanups);
  return { app, admin: account, base: server.url, browser, problems: problemWatch() };
}

/**
 * Enrols an authenticator app for the administrator `adminId` as the set-up page would (its code
 * for the current step confirmed): that app.
 */
export async function enrolAuthenticator(
  app: App,
  adminId: string,
): Promise<ReturnType<typeof authenticator>> {
  const key = await app.deps.staff.accounts.beginTotp(systemActor, adminId, 'enrol');
  const step = currentStep();
  await app.deps.staff.accounts.confirmTotp(systemActor, adminId, codeAt(key, step));
  return authenticator(key, step);
}
