import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedClinic } from './served-app.ts';
import { staffChromiumPage } from './signed-in-page.ts';

/**
 * Message templates in Debian Chromium: the admin edits an SMS template, the preview follows the
 * typing (htmx), names an unknown variable and a health detail at once, and the saved wording is
 * the one used. Screenshots go to <os tmpdir>/clinicbox-screenshots/.
 */

describe.skipIf(skipBrowserTests)('message templates in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  it('previews as the admin types, names wrong variables, and saves', async () => {
    const { app, base } = await servedClinic(cleanups, 'templates');

    const { page, errors } = await staffChromiumPage(cleanups, app, base, 'ada@clinic.example', {
      viewport: { width: 1280, height: 900 },
      errors: { console: {} },
    });
    await page.goto(`${base}/staff/settings/messages`);
    await page
      .getByRole('row', { name: /Reminder sms en/ })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { name: 'Reminder — sms, en' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const preview = page.locator('#preview');
    expect(await preview.textContent()).toContain('Riverside Physio: reminder of your appointment');

    const text = page.getByLabel('Text');
    await text.fill('');
    await text.pressSequentially('See you {{when}} at {{clinicName}} for {{service}} {{oops}}', { delay: 5 });
    await preview.getByText('Unknown variable {{oops}}.').waitFor();
    await preview.getByText('{{service}} may appear only in an email’s text').waitFor();
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'template-errors.png'), fullPage: true });

    await text.fill('See you {{when}} at {{clinicName}}: {{link}}');
    await text.press('End'); // an input event for htmx
    await text.pressSequentially(' ', { delay: 5 });
    await preview
      .getByText('See you Tuesday 3 March 2026 at 10:30 at Riverside Physio: https://clinic.example/app/')
      .waitFor();
    expect(await preview.locator('[role=alert]').count()).toBe(0);
    expect(page.url()).toBe(`${base}/staff/settings/messages/templates/appointment-reminder/sms/en`);

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('button', { name: 'Back to the default wording' }).waitFor();
    const saved = await app.deps.notifications.templates.get({
      type: 'appointment-reminder',
      channel: 'sms',
      language: 'en',
    });
    expect(saved).toMatchObject({ custom: true, body: 'See you {{when}} at {{clinicName}}: {{link}}' });
    expect(errors).toEqual([]);
  });
});
