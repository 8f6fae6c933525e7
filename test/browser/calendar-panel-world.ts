import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import type { StaffRole } from '../../src/domain/accounts/index.ts';
import { systemActor } from '../../src/domain/audit/index.ts';
import type { Booker } from '../../src/domain/scheduling/index.ts';
import { type Listening, listen } from '../../src/http/listen.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import { signedInStaffPage } from './signed-in-page.ts';

/**
 * The calendar-panel and Today browser tests' clinic: served on a free port with its clock fixed
 * at 10:00 (Paris) on the next Wednesday, so "today" is a weekday with working hours and the
 * day's early appointments may be marked arrived. The clock is ahead of the real date, so the
 * sessions it signs stay valid in the browser.
 */
export interface PanelWorld {
  app: TestApp;
  server: Listening;
  base: string;
  clinic: ClinicFixture;
  zone: string;
  /** Today by the app's clock (a Wednesday), as YYYY-MM-DD. */
  today: string;
  /** `HH:mm` on `date` (default today) in the clinic's zone → the UTC instant, ISO. */
  at(time: string, date?: string): string;
  /** The reception member, as the appointments service takes a staff booker. */
  reception: Booker & { role: StaffRole };
  /** Books as the reception member would (the real use case); a past time confirmed as staff do. */
  book(input: Booking & { reason?: string }): Promise<string>;
  /** Asks for a time as the patient would in the app: the service needs approval, so it is `requested`. */
  request(input: Booking): Promise<string>;
  /** A signed-in reception page at the given size. */
  receptionPage(browser: Browser, viewport?: { width: number; height: number }): Promise<Page>;
  stop(): Promise<void>;
}

interface Booking {
  /** 1-based, as seeded: Dr P1, Dr P2; Pat1 Ient1, … */
  practitioner: number;
  patient: number;
  time: string;
  date?: string;
}

export async function panelWorld(options: { patients?: number } = {}): Promise<PanelWorld> {
  const zone = 'Europe/Paris';
  const now = DateTime.now().setZone(zone);
  // The next Wednesday (a week on if today is one), 10:00 in Paris.
  const wednesday = now
    .startOf('week')
    .plus({ days: 2, weeks: now.weekday >= 3 ? 1 : 0 })
    .set({ hour: 10 });
  const app = await createTestApp({
    now: wednesday.toUTC().toISO()!,
    config: { staffMfa: 'optional' },
  });
  // The service needs approval: staff bookings are booked at once, patients' requests wait.
  const clinic = await seedClinic(app, {
    practitioners: 2,
    patients: options.patients ?? 4,
    timeZone: zone,
    service: { requiresApproval: true },
  });
  const server = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
  const today = wednesday.toISODate()!;
  const at = (time: string, date = today) => DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toISO()!;
  const reception: Booker & { role: StaffRole } = {
    actor: { ...systemActor, type: 'staff' as const, id: clinic.receptionId },
    role: 'reception' as const,
  };
  return {
    app,
    server,
    base: server.url,
    clinic,
    zone,
    today,
    at,
    reception,
    async book({ practitioner, patient, time, date, reason }) {
      const start = at(time, date);
      const past = new Date(start).getTime() <= app.clock.now().getTime();
      const { appointment } = await app.deps.appointments.book(reception, {
        serviceId: clinic.serviceId,
        practitionerId: clinic.practitionerIds[practitioner - 1]!,
        start,
        patientId: clinic.patientIds[patient - 1]!,
        ...(reason ? { reason } : {}),
        ...(past ? { confirmPast: true } : {}),
      });
      return appointment.id;
    },
    async request({ practitioner, patient, time, date }) {
      const patientId = clinic.patientIds[patient - 1]!;
      const { appointment } = await app.deps.appointments.book(
        { actor: { ...systemActor, type: 'patient' as const, id: patientId } },
        {
          serviceId: clinic.serviceId,
          practitionerId: clinic.practitionerIds[practitioner - 1]!,
          start: at(time, date),
          patientId,
        },
      );
      return appointment.id;
    },
    receptionPage: (browser, viewport = { width: 1280, height: 800 }) =>
      signedInStaffPage(browser, app, server.url, 'bo@clinic.example', { viewport }),
    async stop() {
      await server.close(1000);
      await app.destroy();
    },
  };
}

/** Marks the page's window; `stillSamePage` says whether no navigation (reload) happened since. */
export async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
  return () =>
    page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}
