import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { addPatientLogin, signedInPatient } from '../../src/testing/signed-in.ts';
import { until } from '../../src/testing/wait.ts';
import { a11y } from './a11y.ts';
import { addVirtualAuthenticator, screenshotDir, skipBrowserTests } from './chromium.ts';
import {
  cancelTheAppointment,
  heading,
  mayaWithAnAppointment,
  openPatientApp,
  profileSection,
  signedInAsMaya,
} from './patient-app-world.ts';

/**
 * The patient app as a patient uses it, in Debian Chromium at a phone's size: sign in with the
 * code from a real SMTP server, register, book (a double tap books once), see the appointment,
 * lose the network and still see it after a reload, cancel; the manifest and service worker meet
 * Chromium's install criteria; axe-core on every screen; French from the profile. Runs on the
 * suite's database (SQLite or PostgreSQL). Each test has its own app, SMTP sink and Chromium
 * profile, and its own patient. Screenshots go to <os tmpdir>/clinicbox-screenshots/.
 */

describe.skipIf(skipBrowserTests)('the patient app in a real browser', () => {
  const cleanups = cleanupsAfterEach();

  it('signs in with the emailed code and registers', async () => {
    const { page, base, sink } = await openPatientApp(cleanups);
    await page.goto(`${base}/app/`);
    await page.waitForURL(/#\/sign-in/);
    expect(await heading(page)).toBe('Sign in');
    await a11y(page, 'sign-in');
    await shot(page, '1-sign-in');

    await page.getByLabel('Email address').fill('maya@example.org');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const mail = await until('the code email', async () =>
      sink.messages.find((m) => hasRecipient(m, 'maya@example.org')),
    );
    expect(sink.messages.filter((m) => hasRecipient(m, 'maya@example.org'))).toHaveLength(1);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Code').fill(code!);
    await a11y(page, 'code');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(/#\/register/);
    expect(await heading(page)).toBe('Create your profile');
    // Bad input: a clear error, nothing created.
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect.poll(() => page.locator('.error').count()).toBeGreaterThan(0);
    await page.getByLabel('First name').fill('Maya');
    await page.getByLabel('Last name').fill('Lind');
    await page.getByLabel('Date of birth').fill('1990-10-10');
    await page.getByLabel('I agree').check();
    await a11y(page, 'register');
    await shot(page, '2-register');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect.poll(() => heading(page)).toBe('Hello Maya');
    await expect.poll(() => page.getByText('You have no upcoming appointment.').isVisible()).toBe(true);
    // Web push is never asked for on a first visit.
    expect(await page.locator('.push-offer').count()).toBe(0);
    await a11y(page, 'home');
  });

  it('books in steps; a double tap on Book books once; then offers reminders by push', async () => {
    const { page } = await signedInAsMaya(cleanups);
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await page.getByRole('button', { name: /Physiotherapy/ }).click();
    await a11y(page, 'practitioner');
    await page.getByRole('button', { name: /First available/ }).click();
    await page.locator('ul.days button').first().waitFor();
    await a11y(page, 'day');
    await shot(page, '3-day');
    // The second day offered: far enough ahead to cancel online later.
    await page.locator('ul.days button').nth(1).click();
    await page.locator('ul.times button').first().waitFor();
    await a11y(page, 'time');
    await page.locator('ul.times button').first().click();
    await expect.poll(() => page.getByText('Check and confirm').isVisible()).toBe(true);
    await a11y(page, 'confirm');
    await shot(page, '4-confirm');
    await page.getByRole('button', { name: 'Book', exact: true }).dblclick();

    await expect.poll(() => heading(page)).toBe('You are booked');
    expect(await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toMatch(
      /^\/api\/v1\/appointments\/[\w-]+\/calendar\.ics$/,
    );
    // The offer shows once the service worker says there is no subscription yet (asynchronous).
    await expect.poll(() => page.locator('.push-offer').isVisible()).toBe(true);
    await a11y(page, 'done');
    await shot(page, '5-done');

    const mine = await appointmentsOf(page);
    expect(mine.filter((a) => a.status === 'booked')).toHaveLength(1);
    const ics = await page.evaluate(
      async (href) => (await fetch(href)).text(),
      `/api/v1/appointments/${mine[0]!.id}/calendar.ics`,
    );
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('Physiotherapy — Riverside Physio');
  });

  it('moves the appointment to another time', async () => {
    const { page } = await mayaWithAnAppointment(cleanups);
    const before = (await appointmentsOf(page))[0]!;
    await page.getByRole('button', { name: 'Change time' }).click();
    await page.locator('ul.days button').nth(2).click();
    await page.locator('ul.times button').last().click();
    await page.getByRole('button', { name: 'Move my appointment' }).click();
    await expect.poll(() => heading(page)).toBe('Your appointment has moved');
    const after = (await appointmentsOf(page))[0]!;
    expect(after.id).toBe(before.id);
    expect(after.start).not.toBe(before.start);
    expect(after.version).toBeGreaterThan(before.version);
    await page.getByRole('link', { name: 'Done', exact: true }).click();
  });

  it('refuses a move based on what another tab has changed meanwhile', async () => {
    const { page } = await mayaWithAnAppointment(cleanups);
    await page.getByRole('button', { name: 'Change time' }).click();
    await page.locator('ul.days button').nth(1).click();
    await page.locator('ul.times button').first().click();
    // Another tab moves the appointment first.
    const moved = await page.evaluate(async () => {
      const [a] = (await (await fetch('/api/v1/me/appointments')).json()).appointments;
      const from = a.start.slice(0, 10);
      const to = new Date(Date.parse(a.start) + 20 * 86_400_000).toISOString().slice(0, 10);
      const { slots } = await (
        await fetch(`/api/v1/slots?serviceId=${a.serviceId}&from=${from}&to=${to}`)
      ).json();
      const slot = slots[slots.length - 1];
      const res = await fetch(`/api/v1/appointments/${a.id}/reschedule`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ start: slot.start, practitionerId: slot.practitionerId, version: a.version }),
      });
      return { status: res.status, start: slot.start };
    });
    expect(moved.status).toBe(200);
    await page.getByRole('button', { name: 'Move my appointment' }).click();
    await expect
      .poll(() => page.getByText('This appointment changed in the meantime.').isVisible())
      .toBe(true);
    expect((await appointmentsOf(page))[0]).toMatchObject({ start: moved.start });
    await page.getByRole('link', { name: 'My appointments' }).click();
    await expect.poll(() => heading(page)).toBe('My appointments');
  });

  it('shows the upcoming appointment offline after a reload, with booking and cancelling disabled', async () => {
    const { page, context } = await mayaWithAnAppointment(cleanups);
    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await expect.poll(() => page.locator('article.appointment.booked').count()).toBe(1);
    await a11y(page, 'appointments');
    // The service worker controls the page and has seen the reads once online.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.locator('article.appointment.booked').count()).toBe(1);

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.locator('article.appointment.booked').count()).toBe(1);
    expect(await page.locator('.banner.offline').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel appointment' }).isDisabled()).toBe(true);
    await a11y(page, 'appointments offline');
    await shot(page, '6-offline');
    await context.setOffline(false);
    await expect.poll(() => page.locator('.banner.offline').count(), { timeout: 10_000 }).toBe(0);
  });

  it('cancels the appointment', async () => {
    const { page } = await mayaWithAnAppointment(cleanups);
    await cancelTheAppointment(page);
    await expect.poll(() => page.locator('article.appointment.booked').count()).toBe(0);
    expect((await appointmentsOf(page)).map((a) => a.status)).toEqual(['cancelled']);
    await shot(page, '7-cancelled');
  });

  it('meets the install criteria, with the clinic’s name in the manifest', async () => {
    const { page, context } = await signedInAsMaya(cleanups);
    // Installable once a service worker controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const manifest = await page.evaluate(async () => (await fetch('/app/manifest.webmanifest')).json());
    expect(manifest.name).toBe('Riverside Physio');
    expect(manifest.icons.some((i: { purpose: string }) => i.purpose === 'maskable')).toBe(true);
  });

  it('adds a family member, switches to them and puts them on the waitlist', async () => {
    const { page, base } = await signedInAsMaya(cleanups);
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByText('Add a family member').click();
    const form = page.locator('details form');
    await form.getByLabel('First name').fill('Leo');
    await form.getByLabel('Last name').fill('Lind');
    await form.getByLabel('Date of birth').fill('2019-04-02');
    await form.getByRole('button', { name: 'Add' }).click();
    const switcher = page.getByRole('combobox', { name: 'Showing' });
    await expect.poll(() => switcher.locator('option').count()).toBe(2);
    await switcher.selectOption({ label: 'Leo Lind' });

    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await page.getByRole('link', { name: 'Waitlist', exact: true }).click();
    await expect.poll(() => page.getByText('You are not on any waitlist.').isVisible()).toBe(true);
    await page.getByRole('combobox', { name: 'Service' }).selectOption({ label: 'Physiotherapy' });
    await a11y(page, 'waitlist');
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await expect.poll(() => page.getByText('You are on the waitlist.').isVisible()).toBe(true);
    const entries = await page.evaluate(
      async () => (await (await fetch('/api/v1/me/waitlist')).json()).entries,
    );
    const leo = (
      await page.evaluate(async () => (await (await fetch('/api/v1/me/dependents')).json()).dependents)
    )[0];
    expect(entries).toHaveLength(1);
    expect(entries[0].patientId).toBe(leo.id);
    await switcher.selectOption({ index: 0 });

    // A waitlist offer's link names the family member: the booking is theirs, whoever the header shows.
    const slot = await page.evaluate(async (serviceId) => {
      const from = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      return (await (await fetch(`/api/v1/slots?serviceId=${serviceId}&from=${from}&to=${to}`)).json())
        .slots[0];
    }, entries[0].serviceId);
    await page.goto(
      `${base}/app/#/book?serviceId=${entries[0].serviceId}&practitionerId=${slot.practitionerId}&start=${encodeURIComponent(slot.start)}&patientId=${leo.id}`,
    );
    await expect.poll(() => page.getByText('Check and confirm').isVisible()).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Who is the appointment for?' }).inputValue()).toBe(
      leo.id,
    );
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('You are booked');
    const booked = (await appointmentsOf(page)).find((a) => a.status === 'booked');
    expect(booked).toMatchObject({ patientId: leo.id });
  });

  it('saves message preferences: SMS off and quiet hours', async () => {
    const { page } = await signedInAsMaya(cleanups);
    const messages = await profileSection(page, 'messages');
    await messages.getByLabel('SMS', { exact: true }).uncheck();
    await messages.getByLabel('No SMS at night').check();
    await messages.getByLabel('From').fill('22:00');
    await messages.getByLabel('Until').fill('07:00');
    await messages.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => messages.getByText('Saved.').isVisible()).toBe(true);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me.patient.notifications).toMatchObject({
      email: true,
      sms: false,
      quietHours: { start: '22:00', end: '07:00' },
    });
  });

  it('adds a passkey on the profile, then signs in with it alone', async () => {
    const { page, context } = await signedInAsMaya(cleanups);
    const cdp = await context.newCDPSession(page);
    await addVirtualAuthenticator(cdp);
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByRole('button', { name: 'Add a passkey on this phone' }).click();
    await expect.poll(() => page.getByText('Passkey added.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/#\/sign-in/);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => heading(page)).toBe('Hello Maya');
    await cdp.detach();
  });

  it('offers a new version when the service worker changes, and applies it when asked', async () => {
    const { page, sw } = await signedInAsMaya(cleanups);
    await page.evaluate(() => navigator.serviceWorker.ready);
    sw.suffix = '// the next release';
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/app/'))?.update());
    const banner = page.getByText('A new version of the app is ready.');
    await expect.poll(() => banner.isVisible(), { timeout: 10_000 }).toBe(true);
    await shot(page, '9-update');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Update now' }).click()]);
    await expect.poll(() => heading(page)).toBe('Hello Maya');
    expect(await banner.count()).toBe(0);
    const waiting = await page.evaluate(async () =>
      Boolean((await navigator.serviceWorker.getRegistration('/app/'))?.waiting),
    );
    expect(waiting).toBe(false);
  });

  it('speaks French when the patient chooses it, and the choice is saved for the clinic’s messages', async () => {
    const { page } = await signedInAsMaya(cleanups);
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await a11y(page, 'profile');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await expect.poll(() => heading(page)).toBe('Profil');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await shot(page, '8-profile-fr');
    await expect
      .poll(
        async () =>
          (await page.evaluate(async () => (await fetch('/api/v1/me')).json())).patient.preferredLanguage,
      )
      .toBe('fr');
    await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await page.waitForURL(/#\/sign-in/);
    expect(await page.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(401);
  });

  it('returns to sign-in when the session ends elsewhere (in French, as chosen)', async () => {
    const { app, page, base, sink, context } = await openPatientApp(cleanups);
    // Maya signs in with her address, and chose French on this phone and for her messages.
    const { patient, browser } = await signedInPatient(app, {
      firstName: 'Maya',
      lastName: 'Lind',
      dateOfBirth: '1990-10-10',
      email: 'maya@example.org',
    });
    await addPatientLogin(app, patient.id, 'email:maya@example.org');
    await browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
    await context.addInitScript(() => localStorage.setItem('cb.lang', 'fr'));
    await page.goto(`${base}/app/`);
    await page.waitForURL(/#\/sign-in/);

    const before = sink.messages.length;
    await page.getByLabel('Adresse e-mail').fill('maya@example.org');
    await page.getByRole('button', { name: 'Recevoir un code' }).click();
    const mail = await until('the code email', async () => sink.messages[before]);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
    // The server's own error messages come in French too.
    await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByText('Ce code n’est pas bon ou a expiré.').isVisible()).toBe(true);
    await page.getByLabel('Code').fill(code!);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => heading(page)).toBe('Bonjour Maya');

    await app.deps.patientSignIn.signOutEverywhere('email:maya@example.org');
    // The next read, whichever screen makes it, finds the session gone (a background read may
    // already have, which is as good).
    await page.evaluate(() => {
      location.hash = '#/appointments';
    });
    await page.waitForURL(/#\/sign-in/, { timeout: 10_000 });
    expect(await heading(page)).toBe('Connexion');
  });
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `patient-app-${name}.png`) });

function hasRecipient(mail: { to?: unknown }, address: string): boolean {
  return JSON.stringify(mail.to ?? '').includes(address);
}

async function appointmentsOf(
  page: Page,
): Promise<{ id: string; status: string; patientId: string; start: string; version: number }[]> {
  return page.evaluate(async () => (await (await fetch('/api/v1/me/appointments')).json()).appointments);
}
