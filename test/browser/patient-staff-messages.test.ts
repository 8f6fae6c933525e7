import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, devices, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { migrate } from '../../src/db/migrate.ts';
import { diskAssets } from '../../src/http/assets.ts';
import { type Listening, listen } from '../../src/http/listen.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { testConfig } from '../../src/testing/app.ts';
import type { TestBrowser } from '../../src/testing/browser.ts';
import { createTestDb } from '../../src/testing/db.ts';
import { type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import {
  type BrowserSubscription,
  decrypt,
  type PushService,
  startPushService,
} from '../../src/testing/peers/push-service.ts';
import { signedInPatient } from '../../src/testing/signed-in.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  launchChromium,
  pageErrors,
  screenshotDir,
  skipBrowserTests,
} from './chromium.ts';
import { signedInStaffPage, signInPatientContext } from './signed-in-page.ts';

/*
 * Issue 19's browser test, in Debian Chromium: a patient writes from the app (a phone) with a
 * photo; reception sees it in the staff Inbox without reloading, opens the thread (photo beside
 * the text, the patient's next appointment and alerts), replies; a push arrives for the patient
 * (decrypted by the local push service: the thread's link, never the text) and the app shows the
 * reply. Then the staff side alone: assign to me, close, reopen, and the open thread following a
 * new patient message by itself. Screenshots (1280×800 and 390×844) go to
 * <os tmpdir>/clinicbox-screenshots/messages-*.png.
 */

// A 2×2 PNG: the "photo of a rash".
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);
const desktop = { width: 1280, height: 800 };
const phoneSize = { width: 390, height: 844 };

describe.skipIf(skipBrowserTests)('messages between the patient app and the staff Inbox', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let app: App;
  let clinic: ClinicFixture;
  let push: PushService;
  let base: string;
  let browser: Browser;
  let phone: BrowserContext;
  let patientPage: Page;
  let patientId: string;
  let patientHttp: TestBrowser;
  let sub: BrowserSubscription;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    push = await startPushService();
    cleanups.push(() => push.stop());
    const db = await createTestDb();
    cleanups.push(() => db.destroy());
    await migrate(db);
    app = await createApp(testConfig({ jobPollInterval: 50, staffMfa: 'optional' }), {
      db,
      assets: diskAssets(),
      log: silentLogger,
      worker: true,
      allowLocalPushEndpoints: true,
      passwordCost: { N: 2 ** 10, r: 8, p: 1 },
    });
    await app.start();
    cleanups.push(() => app.stop());
    clinic = await seedClinic(app, { patients: 0 });
    const server: Listening = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close(1000));
    base = `http://localhost:${server.port}`;
    const made = await signedInPatient(app, {
      firstName: 'Maya',
      lastName: 'Lind',
      dateOfBirth: '1990-10-10',
      email: 'maya@example.org',
    });
    patientId = made.patient.id;
    patientHttp = made.browser;
    // Her phone's push subscription, as the app registers it (the local push service's keys).
    sub = push.subscription('/push/maya');
    expect((await patientHttp.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    await app.deps.patients.addAlert({ type: 'staff', id: clinic.adminId }, patientId, {
      kind: 'admin',
      text: 'Prefers mornings',
    });
    browser = await launchChromium(cleanups);
    const profile = mkdtempSync(join(tmpdir(), 'clinicbox-chromium-'));
    phone = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      ...devices['Pixel 7'],
      viewport: phoneSize,
      locale: 'en-GB',
    });
    cleanups.push(() => rm(profile, { recursive: true, force: true }));
    cleanups.push(() => phone.close());
    await signInPatientContext(phone, app, base, patientId);
    patientPage = phone.pages()[0] ?? (await phone.newPage());
  }, 120_000);
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('a patient writes with a photo, reception replies in the Inbox, a push arrives and the app shows the reply', async () => {
    const errors = pageErrors(patientPage);
    await patientPage.goto(`${base}/app/#/messages`);
    await expect.poll(() => patientPage.locator('h1').innerText()).toBe('Messages');
    await patientPage.getByRole('link', { name: 'New message' }).click();
    await patientPage.getByLabel('Subject').fill('Rash on my arm');
    await patientPage
      .getByLabel('Your message')
      .fill('It started yesterday <b>and itches</b>. Photo attached.');
    await patientPage.getByLabel('Add a photo or a file').setInputFiles({
      name: 'rash.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    // The clinic's reply time arrives with the settings, after the form is drawn.
    await expect.poll(() => patientPage.getByText('We reply within 2 working days').isVisible()).toBe(true);
    await patientPage.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => patientPage.locator('h1').innerText(), { timeout: 15_000 })
      .toBe('Rash on my arm');
    await expect.poll(() => patientPage.locator('.message').count()).toBe(1);
    expect(await patientPage.locator('.message').innerText()).toContain('<b>and itches</b>');
    expect(await patientPage.getByRole('link', { name: 'rash' }).count()).toBe(1);
    const threadId = decodeURIComponent(new URL(patientPage.url()).hash.replace('#/messages/', ''));

    // Reception's Inbox, open before the message is read: the Messages section lists it.
    const desk = await signedInStaffPage(browser, app, base, 'bo@clinic.example', { viewport: desktop });
    const staffErrors = pageErrors(desk);
    await desk.goto(`${base}/staff/inbox`);
    await expect
      .poll(() => desk.locator('#inbox-messages').innerText(), { timeout: 15_000 })
      .toContain('Rash on my arm');
    await expect.poll(() => desk.locator('.topbar .badge').innerText()).toContain('1');
    await desk.screenshot({ path: join(screenshotDir, 'messages-staff-inbox-desktop.png'), fullPage: true });
    await desk.getByRole('link', { name: 'Rash on my arm' }).first().click();
    await expect.poll(() => desk.locator('h1').innerText()).toBe('Rash on my arm');
    const thread = desk.locator('#thread-messages');
    expect(await thread.innerText()).toContain('It started yesterday <b>and itches</b>. Photo attached.');
    expect(await thread.getByRole('link', { name: 'rash' }).count()).toBe(1);
    expect(await desk.locator('.thread-side').innerText()).toContain('Prefers mornings');
    expect(await desk.locator('.thread-side').innerText()).toContain('Next appointment: none booked');
    await desk.getByLabel('Message', { exact: true }).fill('Thanks Maya. Please come in tomorrow at 9.');
    await desk.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => thread.locator('.message').count()).toBe(2);
    await desk.screenshot({ path: join(screenshotDir, 'messages-staff-thread-desktop.png'), fullPage: true });
    await desk.setViewportSize(phoneSize);
    await desk.screenshot({ path: join(screenshotDir, 'messages-staff-thread-phone.png'), fullPage: true });
    await desk.goto(`${base}/staff/inbox/messages?tab=unassigned`);
    await desk.screenshot({ path: join(screenshotDir, 'messages-staff-inbox-phone.png'), fullPage: true });

    // The push: the thread's link in the app, never the text.
    const [request] = await push.waitFor(1, 20_000);
    const payload = decrypt(request!.body, sub);
    expect(JSON.parse(payload).url).toMatch(new RegExp(`/app/#/messages/${threadId}$`));
    expect(payload).not.toContain('tomorrow at 9');

    // The app: the list marks it unread, the thread shows the reply.
    await patientPage.goto(`${base}/app/#/messages`);
    await expect.poll(() => patientPage.locator('.tabs .badge').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => patientPage.locator('.thread.unread').count()).toBe(1);
    await patientPage.screenshot({
      path: join(screenshotDir, 'messages-pwa-list-phone.png'),
      fullPage: true,
    });
    await patientPage.goto(`${base}/app/#/messages/${threadId}`);
    await expect.poll(() => patientPage.locator('.message').count()).toBe(2);
    expect(await patientPage.locator('.message.from-clinic').innerText()).toContain(
      'Please come in tomorrow at 9.',
    );
    await patientPage.screenshot({
      path: join(screenshotDir, 'messages-pwa-thread-phone.png'),
      fullPage: true,
    });
    // Read once opened: the tab's badge goes.
    await patientPage.goto(`${base}/app/#/`);
    await expect.poll(() => patientPage.locator('.tabs .badge').count(), { timeout: 10_000 }).toBe(0);

    // Offline: the thread seen is still readable, and a reply is refused with the reason.
    await phone.setOffline(true);
    await patientPage.goto(`${base}/app/#/messages/${threadId}`);
    await expect.poll(() => patientPage.locator('.message').count(), { timeout: 10_000 }).toBe(2);
    expect(await patientPage.getByText('You are offline: messages cannot be sent').count()).toBeGreaterThan(
      0,
    );
    expect(await patientPage.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await phone.setOffline(false);
    expect(errors).toEqual([]);
    expect(staffErrors).toEqual([]);
  }, 120_000);

  it('reception assigns to themself, closes and reopens; the open thread shows a new message by itself', async () => {
    const { thread } = await app.deps.messaging.startOwn(
      { type: 'patient', id: patientId },
      { subject: 'Parking?', text: 'Is there parking near the clinic?' },
    );
    const desk = await signedInStaffPage(browser, app, base, 'bo@clinic.example', { viewport: desktop });
    await desk.goto(`${base}/staff/inbox/messages?tab=unassigned`);
    await desk.getByRole('link', { name: 'Parking?' }).click();
    await expect.poll(() => desk.locator('h1').innerText()).toBe('Parking?');
    await desk.getByLabel('Assign to').selectOption('me');
    await desk.getByRole('button', { name: 'Assign' }).click();
    await expect.poll(() => desk.locator('.thread-status').innerText()).toContain('assigned to Bo Reception');
    await desk.getByRole('button', { name: 'Close thread' }).click();
    await expect.poll(() => desk.locator('.thread-status').innerText()).toContain('Closed');
    await desk.goto(`${base}/staff/inbox/messages?tab=closed`);
    expect(await desk.locator('#thread-list').innerText()).toContain('Parking?');
    await desk.goto(`${base}/staff/inbox/messages/${thread.id}`);
    await desk.getByRole('button', { name: 'Reopen', exact: true }).click();
    await expect.poll(() => desk.locator('.thread-status').innerText()).toContain('Open');
    // The patient writes again while the page is open: it shows within the polling interval.
    await app.deps.messaging.replyOwn({ type: 'patient', id: patientId }, thread.id, { text: 'Thanks!' });
    await expect.poll(() => desk.locator('#thread-messages .message').count(), { timeout: 20_000 }).toBe(2);
  }, 90_000);
});
