import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { until } from '../../src/testing/wait.ts';
import { skipBrowserTests } from './chromium.ts';
import { heading, openPatientApp, signedInAsMaya, toConfirmStep } from './patient-app-world.ts';
import {
  a11y,
  changeService,
  setClinicAddress,
  setWeekdayHours,
  shots,
  summaryRows,
} from './patient-daily-world.ts';

/**
 * Issue 15, item 18, in Debian Chromium at a phone's size: the profile's name and date of birth,
 * "You are booked" with the date, time and address, counts in the plural rules of English and
 * French, "Resend code" on the code screen within the per-address limits, a service that needs
 * the clinic's approval, and the French tab labels on a narrow phone.
 */
describe.skipIf(skipBrowserTests)('the patient app, day to day', () => {
  const cleanups = cleanupsAfterEach();

  it('shows the first name, last name and full date of birth on the profile, in English and French', async () => {
    const { page } = await signedInAsMaya(cleanups);
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    /** The profile's title and its details (labels in the page's language), checked with axe. */
    const expectProfile = async (title: string, labels: string[], born: string) => {
      await expect.poll(() => heading(page)).toBe(title);
      const values = ['Maya', 'Lind', born];
      expect(await summaryRows(page, 'section[aria-labelledby="details"]')).toEqual(
        labels.map((label, i) => [label, values[i]]),
      );
      await a11y(page, title.toLowerCase());
    };
    await expectProfile('Profile', ['First name', 'Last name', 'Date of birth'], '10 October 1990');
    await shots(page, 'profile-en');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await expectProfile('Profil', ['Prénom', 'Nom', 'Date de naissance'], '10 octobre 1990');
    await shots(page, 'profile-fr');
  });

  it('counts times with plural rules and shows the date, time and address once booked', async () => {
    const { app, clinic, page } = await signedInAsMaya(cleanups);
    // Dr P1 has one time a day, Dr P2 several: "1 time" and "n times".
    await setWeekdayHours(app, clinic, ['09:00-09:30', '09:00-11:00']);
    await setClinicAddress(app, '12 River Lane, London SE1 9AA');
    // The app reads the clinic (its address) when it starts.
    await page.reload();
    await expect.poll(() => heading(page)).toBe('Hello Maya');
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await page.getByRole('button', { name: /Physiotherapy/ }).click();
    await page.getByRole('button', { name: /Dr P1/ }).click();
    await page.locator('ul.days button').first().waitFor();
    expect(await dayCounts(page)).toEqual(new Set(['1 time']));
    await page.getByRole('button', { name: '← Back' }).click();
    await page.getByRole('button', { name: /First available/ }).click();
    await page.locator('ul.days button').first().waitFor();
    const several = await dayCounts(page);
    expect([...several].every((c) => /^([2-9]|\d\d+) times$/.test(c))).toBe(true);

    const dayTitle = await page.locator('ul.days button .choice-title').nth(1).innerText();
    await page.locator('ul.days button').nth(1).click();
    const time = await page.locator('ul.times button').first().innerText();
    await page.locator('ul.times button').first().click();
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('You are booked');
    await expect.poll(() => page.locator('main dl.summary dd').count()).toBeGreaterThan(2);
    const rows = Object.fromEntries(await summaryRows(page));
    expect(rows.Service).toBe('Physiotherapy (30 min)');
    expect(rows.When).toContain(dayTitle);
    expect(rows.When).toContain(time);
    expect(rows.Where).toBe('12 River Lane, London SE1 9AA');
    expect(rows.Practitioner).toMatch(/^Dr P[12]$/);
    await a11y(page, 'booked');
    await shots(page, 'booked-en');

    // The same screen in French (the choice made in the profile), and its plurals.
    const done = page.url();
    await page.evaluate(() => localStorage.setItem('cb.lang', 'fr'));
    await page.reload();
    await expect.poll(() => heading(page)).toBe('C’est réservé');
    await expect.poll(async () => Object.fromEntries(await summaryRows(page)).Lieu).toBe(rows.Where);
    expect(Object.fromEntries(await summaryRows(page)).Quand).toContain(time);
    await a11y(page, 'réservé');
    await shots(page, 'booked-fr');
    expect(page.url()).toBe(done);
    await page.goto(
      `${done.split('#')[0]}#/book?serviceId=${clinic.serviceId}&practitionerId=${clinic.practitionerIds[0]}`,
    );
    await page.locator('ul.days button').first().waitFor();
    expect(await dayCounts(page)).toEqual(new Set(['1 horaire']));
  });

  it('offers "Resend code" on the code screen, and says when it may be used again', async () => {
    const { page, base, sink } = await openPatientApp(cleanups);
    // The page's clock: the waits between codes pass without the test waiting.
    await page.clock.install();
    await page.goto(`${base}/app/`);
    await page.waitForURL(/#\/sign-in/);
    const codes = () =>
      sink.messages
        .filter((m) => JSON.stringify(m.to ?? '').includes('nora@example.org'))
        .map((m) => /\b(\d{6})\b/.exec(m.text ?? '')?.[1]);
    await page.getByLabel('Email address').fill('nora@example.org');
    const firstAt = await page.evaluate(() => Date.now());
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const resend = page.getByRole('button', { name: 'Resend code' });
    await resend.waitFor();
    await until('the first code', async () => codes().length === 1 || undefined);
    // Not at once: the first code may still be on its way.
    expect(await resend.isDisabled()).toBe(true);
    expect(await page.getByText(/^You can ask for a new code at \d\d:\d\d\.$/).isVisible()).toBe(true);
    await a11y(page, 'code with resend');
    await shots(page, 'resend-code-en');

    // Four more codes (five an hour per address), each after the short wait.
    for (let sent = 2; sent <= 5; sent++) {
      await page.clock.fastForward('01:01');
      await expect.poll(() => resend.isEnabled()).toBe(true);
      await resend.click();
      await expect.poll(() => page.getByText('A new code is on its way.').isVisible()).toBe(true);
      await until(`code ${sent}`, async () => codes().length === sent || undefined);
    }
    // The fifth: no more until an hour after the first.
    await page.clock.fastForward('02:00');
    expect(await resend.isDisabled()).toBe(true);
    const hint = await page.getByText(/^You can ask for a new code at/).innerText();
    const allowedAt = await page.evaluate((at) => {
      const minute = Math.ceil((at + 3_600_000) / 60_000) * 60_000;
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(minute);
    }, firstAt);
    // The first send happened a moment after firstAt: the same minute or the next.
    const nextMinute = await page.evaluate(
      (at) =>
        new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(
          Math.ceil((at + 3_600_000) / 60_000) * 60_000 + 60_000,
        ),
      firstAt,
    );
    expect([
      `You can ask for a new code at ${allowedAt}.`,
      `You can ask for a new code at ${nextMinute}.`,
    ]).toContain(hint);
    await page.clock.fastForward('58:00');
    await expect.poll(() => resend.isEnabled()).toBe(true);

    // The latest code signs in.
    await page.getByLabel('Code').fill(codes()[4]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/#\/register/);
  });

  it('shows neither "Book" nor "Add to calendar" for a service the clinic approves, until approved', async () => {
    const { app, clinic, page } = await signedInAsMaya(cleanups);
    await changeService(app, clinic.serviceId, { requiresApproval: true });
    await toConfirmStep(page);
    const request = page.getByRole('button', { name: 'Send request', exact: true });
    await request.waitFor();
    expect(await page.getByRole('button', { name: 'Book', exact: true }).count()).toBe(0);
    await a11y(page, 'confirm a request');
    await request.click();
    await expect.poll(() => heading(page)).toBe('Request sent');
    await expect.poll(() => page.locator('main dl.summary').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Add to calendar' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    const card = page.locator('article.appointment.requested');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByText('Awaiting confirmation').isVisible()).toBe(true);
    expect(await card.getByRole('link', { name: 'Add to calendar' }).count()).toBe(0);

    // The clinic approves: now it can go in the calendar.
    const [mine] = await page.evaluate(
      async () => (await (await fetch('/api/v1/me/appointments')).json()).appointments,
    );
    await app.deps.appointments.setStatus(
      { actor: { type: 'staff', id: clinic.receptionId }, role: 'reception' },
      mine.id,
      'booked',
    );
    await page.reload();
    const booked = page.locator('article.appointment.booked');
    await expect.poll(() => booked.count()).toBe(1);
    expect(await booked.getByRole('link', { name: 'Add to calendar' }).count()).toBe(1);
  });

  it('fits the French tab labels in the tab bar from 320 to 390 pixels wide', async () => {
    const { page } = await signedInAsMaya(cleanups);
    await shots(page, 'tabs-en');
    await page.evaluate(() => localStorage.setItem('cb.lang', 'fr'));
    await page.reload();
    await expect.poll(() => heading(page)).toBe('Bonjour Maya');
    for (const width of [320, 360, 390]) {
      await page.setViewportSize({ width, height: 740 });
      const tabs = await tabLabels(page);
      expect(tabs.map((t) => t.text)).toEqual(['Accueil', 'Réserver', 'Rendez-vous', 'Messages', 'Profil']);
      for (const tab of tabs) {
        expect(tab, `${tab.text} at ${width} px`).toMatchObject({ inside: true, lines: 1 });
      }
    }
    await a11y(page, 'accueil');
    await shots(page, 'tabs-fr');
  });
});

/** The day step's "n times" counts, once each. */
async function dayCounts(page: Page): Promise<Set<string>> {
  const texts = await page.locator('ul.days button .muted').allInnerTexts();
  return new Set(texts.map((t) => t.split(' · ')[0]!.trim()));
}

/** Each tab's label: its text, whether it lies inside its tab and the bar, and on how many lines. */
function tabLabels(page: Page) {
  return page.locator('nav.tabs').evaluate((nav) => {
    const bar = nav.getBoundingClientRect();
    return [...nav.querySelectorAll('a')].map((a) => {
      const range = document.createRange();
      range.selectNodeContents(a);
      const text = range.getBoundingClientRect();
      const box = a.getBoundingClientRect();
      const lineHeight = Number.parseFloat(getComputedStyle(a).lineHeight) || 20;
      return {
        text: a.textContent?.trim() ?? '',
        inside:
          text.left >= box.left - 0.5 &&
          text.right <= box.right + 0.5 &&
          box.left >= bar.left - 0.5 &&
          box.right <= bar.right + 0.5,
        lines: range.getClientRects().length === 1 ? 1 : Math.round(text.height / lineHeight),
      };
    });
  });
}
