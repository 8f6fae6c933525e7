import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app.ts';
import { type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import type { Cleanups } from '../../src/testing/lifecycle.ts';
import { launchChromium } from './chromium.ts';
import { servedApp } from './served-app.ts';
import { signedInStaffPage } from './signed-in-page.ts';

/**
 * The calendar browser tests' common ground: the app served on a free port (staff MFA optional),
 * a seeded clinic, and next week's Monday in the clinic's time zone, so the grid is never
 * today's half-gone day. `at` gives a local time of that day (or of `day`) as a UTC instant.
 */
export interface CalendarWorld {
  app: App;
  base: string;
  clinic: ClinicFixture;
  zone: string;
  date: string;
  at(time: string, day?: string): string;
  /** A new Chromium with a page signed in as `email`, at desktop size unless told. */
  staffPage(email: string, viewport?: { width: number; height: number }): Promise<Page>;
}

type SeedOptions = NonNullable<Parameters<typeof seedClinic>[1]>;

/** Serves and seeds the calendar world; what it starts is pushed on `cleanups`. */
export async function servedCalendar(
  cleanups: Cleanups,
  name: string,
  seed: SeedOptions,
): Promise<CalendarWorld> {
  const served = await servedApp(name, { staffMfa: 'optional' });
  cleanups.push(served.stop);
  const zone = seed.timeZone ?? 'Europe/Paris';
  const clinic = await seedClinic(served.app, { ...seed, timeZone: zone });
  const date = DateTime.now().setZone(zone).startOf('week').plus({ weeks: 1 }).toISODate()!;
  const base = served.server.url;
  return {
    app: served.app,
    base,
    clinic,
    zone,
    date,
    at: (time, day = date) => DateTime.fromISO(`${day}T${time}`, { zone }).toUTC().toISO()!,
    async staffPage(email, viewport = { width: 1280, height: 800 }) {
      const browser: Browser = await launchChromium(cleanups);
      return signedInStaffPage(browser, served.app, base, email, { viewport });
    },
  };
}
