import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { until } from '../../src/testing/wait.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { profileSection, signedInAsMaya } from './patient-app-world.ts';

/**
 * The profile's email and phone in Debian Chromium at a phone's size: a new email is shown as
 * pending ("enter the code we sent") while the verified one stays in use, and the code from the
 * email (read from a real SMTP server) confirms it. Issue 14, item 10.
 */
describe.skipIf(skipBrowserTests)('the patient app’s email and phone', () => {
  const cleanups = cleanupsAfterEach();

  it('keeps a new email pending until the code sent to it is entered', async () => {
    const { page, sink } = await signedInAsMaya(cleanups);
    const contact = await profileSection(page, 'contact');
    await contact.getByRole('button', { name: 'Change email or phone' }).click();
    await contact.getByLabel('Email address').fill('maya.lind@example.org');
    await contact.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => contact.getByText('pending — enter the code we sent').isVisible()).toBe(true);
    expect(await contact.locator('dd').first().textContent()).toBe('maya@example.org');
    const mail = await until('the code to the new email', async () =>
      sink.messages.find((m) => JSON.stringify(m.to ?? '').includes('maya.lind@example.org')),
    );
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
    await contact.getByLabel('Code sent to maya.lind@example.org').fill(code);
    expect(await seriousA11yViolations(page), 'profile, pending email').toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'patient-app-contact-pending.png'), fullPage: true });
    await contact.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => contact.locator('dd').first().textContent()).toBe('maya.lind@example.org');
    await expect.poll(() => contact.getByText('pending — enter the code we sent').count()).toBe(0);
  });
});
