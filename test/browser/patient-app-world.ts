import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, devices, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { migrate } from '../../src/db/migrate.ts';
import { diskAssets } from '../../src/http/assets.ts';
import { type Listening, listen } from '../../src/http/listen.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { smtpTransport } from '../../src/notify/email/index.ts';
import { testConfig } from '../../src/testing/app.ts';
import { createTestDb } from '../../src/testing/db.ts';
import { type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import type { Cleanups } from '../../src/testing/lifecycle.ts';
import { type SmtpSink, startSmtpSink } from '../../src/testing/peers/smtp-sink.ts';
import { addPatientLogin, signedInPatient } from '../../src/testing/signed-in.ts';
import { CHROMIUM, CHROMIUM_ARGS, screenshotDir } from './chromium.ts';
import { signInPatientContext } from './signed-in-page.ts';

/**
 * The patient app tests' worlds, one per test: a fresh database on the suite's dialect, the app
 * with its worker sending email to a real SMTP sink, served on a free port, and Chromium at a
 * phone's size with a profile of its own; then Maya, signed in, with an appointment if asked.
 */

/** One test's world: the app serving the patient app, its mail, and a phone's browser on it. */
interface PatientAppWorld {
  app: App;
  clinic: ClinicFixture;
  sink: SmtpSink;
  base: string;
  context: BrowserContext;
  page: Page;
  /** Appended to the service worker the server hands out (the new-version test changes it). */
  sw: { suffix: string };
}

export async function openPatientApp(cleanups: Cleanups): Promise<PatientAppWorld> {
  mkdirSync(screenshotDir, { recursive: true });
  const sink = await startSmtpSink();
  cleanups.push(() => sink.stop());
  const db = await createTestDb();
  cleanups.push(() => db.destroy());
  await migrate(db);
  const disk = diskAssets();
  const sw = { suffix: '' };
  const app = await createApp(testConfig(), {
    db,
    assets: {
      read: async (path) => {
        const asset = await disk.read(path);
        if (path !== '/app/sw.js' || !asset || !sw.suffix) return asset;
        const text = await new Response(asset.body).text();
        return { ...asset, body: new TextEncoder().encode(`${text}\n${sw.suffix}\n`) };
      },
    },
    log: silentLogger,
    worker: true,
    mail: smtpTransport({ url: sink.url, from: 'Clinic <desk@clinic.example>', connectionTimeoutMs: 2000 }),
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
  });
  await app.start();
  cleanups.push(() => app.stop());
  // Real clock: the browser's "today" and the slots must agree.
  const clinic = await seedClinic(app, { practitioners: 2, patients: 0, cancellationWindowHours: 1 });
  const server: Listening = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
  cleanups.push(() => server.close(1000));
  // WebAuthn refuses IP addresses as the site's identity: use the name localhost.
  const base = `http://localhost:${server.port}`;
  // A persistent profile: Chromium never offers to install from an incognito one.
  const profile = mkdtempSync(join(tmpdir(), 'clinicbox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    ...devices['Pixel 7'],
    locale: 'en-GB',
  });
  cleanups.push(() => rm(profile, { recursive: true, force: true }));
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  return { app, clinic, sink, base, context, page, sw };
}

/**
 * The app with Maya Lind, registered with her email address as the first test does it, signed
 * in on the phone and on her home screen.
 */
export async function signedInAsMaya(cleanups: Cleanups): Promise<PatientAppWorld & { mayaId: string }> {
  const world = await openPatientApp(cleanups);
  const { patient } = await signedInPatient(world.app, {
    firstName: 'Maya',
    lastName: 'Lind',
    dateOfBirth: '1990-10-10',
    email: 'maya@example.org',
  });
  await addPatientLogin(world.app, patient.id, 'email:maya@example.org');
  await signInPatientContext(world.context, world.app, world.base, patient.id);
  await world.page.goto(`${world.base}/app/`);
  await expect.poll(() => heading(world.page)).toBe('Hello Maya');
  return { ...world, mayaId: patient.id };
}

/** Maya with an appointment booked, at the first time more than a day ahead, back on her home screen. */
export async function mayaWithAnAppointment(
  cleanups: Cleanups,
): Promise<PatientAppWorld & { mayaId: string }> {
  const world = await signedInAsMaya(cleanups);
  const status = await world.page.evaluate(async (serviceId) => {
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await (
      await fetch(`/api/v1/slots?serviceId=${serviceId}&from=${from}&to=${to}`)
    ).json();
    const slot = slots.find((s: { start: string }) => Date.parse(s.start) > Date.now() + 86_400_000);
    const res = await fetch('/api/v1/appointments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId, practitionerId: slot.practitionerId, start: slot.start }),
    });
    return res.status;
  }, world.clinic.serviceId);
  expect(status).toBe(201);
  await world.page.reload();
  await expect.poll(() => world.page.locator('article.appointment.booked').count()).toBe(1);
  return world;
}

/**
 * From home to the confirm step as Maya books: Book, Physiotherapy, the first available
 * practitioner, the second day offered and its first time.
 */
export async function toConfirmStep(page: Page) {
  await page.getByRole('link', { name: 'Book', exact: true }).click();
  await page.getByRole('button', { name: /Physiotherapy/ }).click();
  await page.getByRole('button', { name: /First available/ }).click();
  await page.locator('ul.days button').nth(1).click();
  await page.locator('ul.times button').first().click();
  await expect.poll(() => page.getByText('Check and confirm').isVisible()).toBe(true);
}

/** Maya's one booked appointment, cancelled from the Appointments tab (the button, then "Yes"). */
export async function cancelTheAppointment(page: Page) {
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  await expect.poll(() => page.locator('article.appointment.booked').count()).toBe(1);
  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
}

/** The Profile tab opened, and its section that the element `id` heads (contact, family, my-data…). */
export async function profileSection(page: Page, id: string): Promise<Locator> {
  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  return page.locator(`section[aria-labelledby="${id}"]`);
}

/** The screen's title. */
export const heading = (page: Page) => page.locator('h1').innerText();
