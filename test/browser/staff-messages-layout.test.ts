import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { newId } from '../../src/lib/ids.ts';
import { seedClinic } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { patientOnRecord } from '../../src/testing/signed-in.ts';
import { seriousA11yViolations } from './a11y.ts';
import { launchChromium, pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';
import { servedApp } from './served-app.ts';
import { signedInStaffPage } from './signed-in-page.ts';

/*
 * Issue 15, item 24, in Debian Chromium at phone (390×844) and desktop (1280×800) size: the
 * message log (Admin → Messages, a patient's chart) with long addresses and provider ids stays
 * inside the page — nothing in a cell spills out of it, the page never scrolls sideways; a
 * checkbox sits in line with its label; the SMS template help offers only variables an SMS
 * accepts. Screenshots go to <os tmpdir>/clinicbox-screenshots/messages-*.png.
 */

const LONG_EMAIL = 'maximilian.alexander.featherstonehaugh-worthington@physiotherapy-clinic-example.org';
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

/** The log of a patient with a long address: sent, not sent (no SMS provider), skipped, failed. */
async function seedDeliveries(app: App, patientId: string): Promise<void> {
  const now = app.deps.clock.now();
  const row = (channel: 'email' | 'sms', status: 'sent' | 'skipped' | 'failed', extra: object = {}) => ({
    id: newId(),
    patientId,
    contactId: patientId,
    recipient: channel === 'email' ? LONG_EMAIL : '+447911123456',
    channel,
    messageType: 'appointment-reminder',
    language: 'en',
    status,
    attempts: 1,
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
  await app.deps.db.tx((ctx) =>
    ctx.db.insert(ctx.t.deliveries).values([
      row('email', 'sent', { providerId: `<delivery-${newId()}@clinicbox>`, sentAt: now }),
      row('sms', 'skipped', { lastError: 'not sent (no SMS provider)' }),
      row('sms', 'skipped', {
        lastError: 'quiet hours last until the appointment: sent by email instead',
      }),
      row('email', 'failed', { lastError: 'the mail server refused the message (550)', attempts: 8 }),
    ]),
  );
}

/** What overflows: the page sideways, a cell's content out of its cell, a table out of its box. */
const overflows = (page: Page) =>
  page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      out.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    }
    const main = document.querySelector('main')!.getBoundingClientRect();
    for (const table of document.querySelectorAll('table')) {
      const box = (table.closest('.table-scroll') ?? table).getBoundingClientRect();
      if (box.right > main.right + 1) out.push(`a table past the page (${box.right} > ${main.right})`);
      for (const cell of table.querySelectorAll('td, th')) {
        if (cell.scrollWidth > cell.clientWidth + 1) {
          out.push(`“${cell.textContent?.slice(0, 40)}” spills out of its cell`);
        }
      }
    }
    return out;
  });

describe.skipIf(skipBrowserTests)('the message pages at phone and desktop size', () => {
  const cleanups = cleanupsAfterAll();
  let app: App;
  let base: string;
  let patientId: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    const served = await servedApp('messages-layout', { staffMfa: 'optional' });
    cleanups.push(served.stop);
    app = served.app;
    base = served.server.url;
    await seedClinic(app);
    const patient = await patientOnRecord(app, {
      firstName: 'Maximilian',
      lastName: 'Featherstonehaugh-Worthington',
      email: LONG_EMAIL,
      phone: '+447911123456',
    });
    patientId = patient.id;
    await seedDeliveries(app, patientId);
    browser = await launchChromium(cleanups);
  }, 60_000);

  for (const [size, viewport] of [
    ['phone', phone],
    ['desktop', desktop],
  ] as const) {
    it(`keeps the message log and long addresses inside the page (${size})`, async () => {
      const page = await signedInStaffPage(browser, app, base, 'ada@clinic.example', { viewport });
      const errors = pageErrors(page, { console: {} });
      for (const [name, path] of [
        ['admin', '/staff/admin/messages'],
        ['chart', `/staff/patients/${patientId}`],
        ['settings', '/staff/settings/messages'],
      ] as const) {
        await page.goto(`${base}${path}`);
        await page.locator('main h1').waitFor();
        if (name !== 'settings')
          await page.getByRole('cell', { name: 'not sent (no SMS provider)' }).waitFor();
        await page.screenshot({ path: join(screenshotDir, `messages-${name}-${size}.png`), fullPage: true });
        expect(await overflows(page), `${path} at ${size} size`).toEqual([]);
        expect(await seriousA11yViolations(page), path).toEqual([]);
        if (name !== 'settings') {
          // The log scrolls inside its named box, by keyboard too.
          await page.getByRole('region', { name: /Messages/ }).focus({ timeout: 5000 });
          await page.keyboard.press('End');
        }
      }
      expect(errors).toEqual([]);
    }, 90_000);
  }

  it('lines a checkbox up with its label, the label the touch target', async () => {
    const page = await signedInStaffPage(browser, app, base, 'ada@clinic.example', { viewport: phone });
    await page.goto(`${base}/staff/settings`);
    const box = page.getByRole('checkbox', { name: 'Patients may book online' });
    await box.waitFor();
    const geometry = await box.evaluate((input) => {
      const label = input.closest('label')!;
      const text = document.createRange();
      text.setStartAfter(input);
      text.setEndAfter(label.lastChild!);
      const t = text.getBoundingClientRect();
      const b = input.getBoundingClientRect();
      return {
        boxHeight: b.height,
        offCentre: Math.abs(b.top + b.height / 2 - (t.top + t.height / 2)),
        labelHeight: label.getBoundingClientRect().height,
        gap: t.left - b.right,
      };
    });
    await box.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'messages-checkbox-phone.png') });
    expect(geometry.boxHeight).toBeLessThan(26); // a box, not a 44px text field
    expect(geometry.offCentre).toBeLessThanOrEqual(2);
    expect(geometry.labelHeight).toBeGreaterThanOrEqual(44);
    expect(geometry.gap).toBeGreaterThanOrEqual(4);
    const before = await box.isChecked();
    await page.getByText('Patients may book online').click();
    expect(await box.isChecked()).toBe(!before);
  });

  it('offers in the SMS template help only variables an SMS accepts', async () => {
    const page = await signedInStaffPage(browser, app, base, 'ada@clinic.example', { viewport: desktop });
    await page.goto(`${base}/staff/settings/messages/templates/appointment-booked/sms/en`);
    const help = (await page.getByText(/^Variables:/).textContent())!;
    const offered = [...help.matchAll(/\{\{\w+\}\}/g)].map((m) => m[0]);
    expect(offered).toContain('{{when}}');
    expect(offered).not.toContain('{{service}}');
    expect(offered).not.toContain('{{practitioner}}');
    // Every variable offered is accepted: the preview shows no error with all of them.
    const text = page.getByLabel('Text');
    await text.fill(offered.join('\n'));
    await text.press('End');
    await text.pressSequentially(' ', { delay: 5 });
    await page.locator('#preview').getByText('your appointment').waitFor(); // {{yourAppointment}}: the new text's preview
    expect(await page.locator('#preview [role=alert]').count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, 'messages-sms-template.png'), fullPage: true });
    // An email's text may name the service.
    await page.goto(`${base}/staff/settings/messages/templates/appointment-booked/email/en`);
    expect(await page.getByText(/^Variables:/).textContent()).toContain('{{service}}');
  }, 60_000);
});
