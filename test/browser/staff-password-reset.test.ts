import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.ts';
import { smtpTransport } from '../../src/notify/email/index.ts';
import { startSmtpSink } from '../../src/testing/peers/smtp-sink.ts';
import { staffMember } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { launchChromium, screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedApp } from './served-app.ts';
import {
  codeAt,
  currentStep,
  devices,
  EMAIL,
  enrolAuthenticator,
  heading,
  NAME,
  PASSWORD,
  problemWatch,
} from './staff-sign-in-steps.ts';

/*
 * Issue 15, item 23 in a real browser: "Forgot password?" from the sign-in page, the email (a real
 * SMTP sink, sent by the app's worker), a new password through its link, then the sign-in that
 * still asks for the second factor; and the recovery codes page's Copy, Download and Print.
 */
const NEW_PASSWORD = 'a brand new long passphrase';
const phone = { width: 390, height: 844 };

/** The whole app (servedApp) with its worker, its email going to a real SMTP sink. */
async function servedWithMail(cleanups: (() => Promise<unknown>)[], config: Partial<Config>) {
  const smtp = await startSmtpSink();
  cleanups.push(() => smtp.stop());
  const { app, server, stop } = await servedApp(
    'reset',
    { jobPollInterval: 50, ...config },
    {
      worker: true,
      mail: smtpTransport({ url: smtp.url, from: 'Clinic <desk@clinic.example>', connectionTimeoutMs: 5000 }),
    },
  );
  cleanups.push(stop);
  await app.start();
  return { app, smtp, base: server.url };
}

/** Screenshots `page` at desktop and phone size (`name`-desktop.png, `name`-phone.png), back at desktop. */
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: join(screenshotDir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(devices.desk.viewport);
}

describe.skipIf(skipBrowserTests)(
  'staff password reset and recovery codes in a real browser (issue 15, item 23)',
  () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    it('"Forgot password?" emails a link; the new password signs in, and the second factor is still asked', async () => {
      const { app, smtp, base } = await servedWithMail(cleanups, { staffMfa: 'required' });
      const { account } = await staffMember(app, 'admin', { email: EMAIL, name: NAME, password: PASSWORD });
      const authenticator = await enrolAuthenticator(app, account.id);
      const browser = await launchChromium(cleanups);
      const problems = problemWatch();
      const context = await browser.newContext({ baseURL: base, ...devices.desk });
      const page = problems.watch(await context.newPage(), 'desk');

      await page.goto('/staff/login');
      await heading(page, 'Sign in').waitFor();
      await shoot(page, 'staff-sign-in-forgot');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await heading(page, 'Reset your password').waitFor();
      await shoot(page, 'staff-forgot-password');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByLabel('Email', { exact: true }).fill(EMAIL);
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await heading(page, 'Check your email').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(EMAIL);
      await shoot(page, 'staff-reset-requested');
      expect(await seriousA11yViolations(page)).toEqual([]);

      const [mail] = await smtp.waitFor(1, 30_000);
      expect(mail!.subject).toBe('Reset your Clinicbox password');
      const link = /\/staff\/login\/reset\?token=[\w-]{43}/.exec(mail!.text ?? '')?.[0];
      expect(link).toBeDefined();
      await page.goto(link!);
      await heading(page, 'Choose a new password').waitFor();
      await shoot(page, 'staff-reset-password');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Save password' }).click();
      await page.getByText('Your new password is saved and every device is signed out.').waitFor();

      await page.getByLabel('Email', { exact: true }).fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await heading(page, 'Confirm it’s you').waitFor();
      await page.getByLabel('Code', { exact: true }).fill(await authenticator.nextCode());
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await heading(page, 'Today').waitFor();

      // The link was spent.
      await page.goto(link!);
      await heading(page, 'This link no longer works').waitFor();
      expect(problems.list().filter((p) => !p.includes('/staff/login/reset'))).toEqual([]);
    }, 180_000);

    it('the recovery codes can be copied, downloaded as a .txt and printed', async () => {
      const { app, base } = await servedWithMail(cleanups, { staffMfa: 'required' });
      await staffMember(app, 'reception', { email: EMAIL, name: NAME, password: PASSWORD });
      const browser = await launchChromium(cleanups);
      const problems = problemWatch();
      const context = await browser.newContext({ baseURL: base, acceptDownloads: true, ...devices.desk });
      const page = problems.watch(await context.newPage(), 'desk');

      // A member without a second factor sets one up at sign-in; the codes come right after.
      await page.goto('/staff/login');
      await page.getByLabel('Email', { exact: true }).fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await heading(page, 'Set up your second factor').waitFor();
      const key = ((await page.locator('code.secret').textContent()) ?? '').replace(/\s/g, '');
      await page.getByLabel('Code from the app', { exact: true }).fill(codeAt(key, currentStep()));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await heading(page, 'Save your recovery codes').waitFor();
      const codes = (await page.locator('#recovery-codes code').allTextContents()).map((c) => c.trim());
      expect(codes.length).toBeGreaterThanOrEqual(8);
      await shoot(page, 'staff-recovery-codes');
      expect(await seriousA11yViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByText(`Copied ${codes.length} codes.`).waitFor();
      // What the clipboard holds, pasted where the member would paste it.
      const notes = await context.newPage();
      await notes.setContent('<label>Notes <textarea id="notes"></textarea></label>');
      await notes.focus('#notes');
      await notes.keyboard.press('Control+V');
      expect((await notes.inputValue('#notes')).split('\n')).toEqual(codes);
      await notes.close();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download (.txt)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('clinicbox-recovery-codes.txt');
      const text = readFileSync((await download.path())!, 'utf8');
      for (const code of codes) expect(text).toContain(`\n${code}\n`);

      await page.evaluate(() => {
        const w = window as unknown as { printed: number };
        w.printed = 0;
        window.addEventListener('beforeprint', () => {
          w.printed += 1;
        });
      });
      await page.getByRole('button', { name: 'Print', exact: true }).click();
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed))
        .toBe(1);
      // On paper: the codes, not the buttons.
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByRole('button', { name: 'Print', exact: true }).isVisible()).toBe(false);
      expect(await page.locator('#recovery-codes').isVisible()).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'staff-recovery-codes-print.png'), fullPage: true });
      expect(problems.list()).toEqual([]);
    }, 180_000);
  },
);
