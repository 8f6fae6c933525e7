import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Cleanups, cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { startSmtpSink } from '../../src/testing/peers/smtp-sink.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageShots, screenshotDir, skipBrowserTests } from './chromium.ts';
import {
  codeAt,
  currentStep,
  EMAIL,
  enrolAuthenticator,
  heading,
  newDevice,
  servedWithAdmin,
  signInWithCode,
  submitPassword,
} from './staff-sign-in-steps.ts';

/*
 * Issue 15, item 23 in a real browser: "Forgot password?" from the sign-in page, the email (a real
 * SMTP sink, sent by the app's worker), a new password through its link, then the sign-in that
 * still asks for the second factor; and the recovery codes page's Copy, Download and Print.
 */
const NEW_PASSWORD = 'a brand new long passphrase';

/** A real SMTP server for the app's email, stopped by `cleanups`. */
async function smtpSink(cleanups: Cleanups) {
  const smtp = await startSmtpSink();
  cleanups.push(() => smtp.stop());
  return smtp;
}

/** Screenshots `page` at desktop and phone size (`name`-desktop.png, `name`-phone.png), back at its size. */
async function shoot(page: Page, name: string) {
  const size = page.viewportSize()!;
  await desktopThenPhone(page, name);
  await page.setViewportSize(size);
}
const { desktopThenPhone } = pageShots('');

describe.skipIf(skipBrowserTests)(
  'staff password reset and recovery codes in a real browser (issue 15, item 23)',
  () => {
    const cleanups = cleanupsAfterEach();

    it('"Forgot password?" emails a link; the new password signs in, and the second factor is still asked', async () => {
      const smtp = await smtpSink(cleanups);
      const { app, admin, base, browser, problems } = await servedWithAdmin('reset', 'required', cleanups, {
        mailTo: smtp.url,
      });
      const authenticator = await enrolAuthenticator(app, admin.id);
      const page = await newDevice(browser, base, 'desk', problems);

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

      await signInWithCode(page, authenticator, NEW_PASSWORD);

      // The link was spent.
      await page.goto(link!);
      await heading(page, 'This link no longer works').waitFor();
      expect(problems.list().filter((p) => !p.includes('/staff/login/reset'))).toEqual([]);
    }, 180_000);

    it('the recovery codes can be copied, downloaded as a .txt and printed', async () => {
      const smtp = await smtpSink(cleanups);
      const { base, browser, problems } = await servedWithAdmin('reset', 'required', cleanups, {
        role: 'reception',
        mailTo: smtp.url,
      });
      const page = await newDevice(browser, base, 'desk', problems, { acceptDownloads: true });
      const context = page.context();

      // A member without a second factor sets one up at sign-in; the codes come right after.
      await page.goto('/staff/login');
      await submitPassword(page);
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
