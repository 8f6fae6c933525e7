import { afterEach, beforeEach } from 'vitest';
import { createTestApp, type TestApp } from './app.ts';
import type { TestBrowser } from './browser.ts';
import type { TestDialect } from './db.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';
import { patientOnRecord, signedInAs } from './signed-in.ts';

/*
 * The clock stands at Monday 2026-03-02 09:00Z = 10:00 in Paris. Tuesday 2026-03-03 09:00 Paris
 * is 08:00Z; the practitioners work 09:00-12:00 and 13:00-17:00 on weekdays.
 */
export const TUE_0900 = '2026-03-03T08:00:00.000Z';
export const TUE_0930 = '2026-03-03T08:30:00.000Z';

/**
 * The booking of the clinic's service with `practitionerId` at `start` for `patient`: the clinic's
 * patient of that number, or a patient id.
 */
export const booking = (
  clinic: ClinicFixture,
  practitionerId: string,
  start: string,
  patient: number | string,
) => ({
  serviceId: clinic.serviceId,
  practitionerId,
  start,
  patientId: typeof patient === 'string' ? patient : clinic.patientIds[patient],
});

/**
 * seedClinic's clinic in `app`, and a booking by its front desk through the API for a new patient
 * (Nora) with practitioner 1 on Monday 2026-03-09 at 09:00 Paris: the API's answer (whose request
 * id the jobs the booking enqueued carry).
 */
export async function deskBookingOverApi(app: TestApp): Promise<Response> {
  const clinic = await seedClinic(app);
  const desk = await signedInAs(app, 'bo@clinic.example');
  const patient = await patientOnRecord(app, { firstName: 'Nora', email: 'nora@example.org' });
  return desk.json(
    'POST',
    '/api/v1/appointments',
    booking(clinic, clinic.practitionerIds[0]!, '2026-03-09T08:00:00.000Z', patient.id),
  );
}

/** What each booking API test starts with (see bookingApiWorld). */
export interface BookingApiState {
  app: TestApp;
  clinic: ClinicFixture;
  /** The receptionist's browser, signed in. */
  desk: TestBrowser;
  /** The clinic's two practitioners. */
  p1: string;
  p2: string;
}

/**
 * The world of the booking API tests (src/http/api/slots.test.ts, appointments-*.test.ts), made
 * anew for each test: the app on `dialect`, a clinic whose service leaves a 15-minute buffer after
 * each appointment, its two practitioners and the receptionist's browser. Each test on its own
 * clinic: what one books is not in another's way. The state is filled in by beforeEach.
 */
export function bookingApiWorld(dialect: TestDialect) {
  const state = {} as BookingApiState;
  beforeEach(async () => {
    const app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    const clinic = await seedClinic(app, { service: { bufferAfterMin: 15 } });
    const [p1, p2] = clinic.practitionerIds as [string, string];
    Object.assign(state, { app, clinic, p1, p2, desk: await signedInAs(app, 'bo@clinic.example') });
  });
  afterEach(() => state.app.destroy());

  /** The receptionist posts `body` to the appointments API. */
  const book = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    state.desk.json('POST', '/api/v1/appointments', body, headers);
  return Object.assign(state, {
    /** Searches slots with `query`: the status and the JSON answer. */
    async slots(query: string) {
      const res = await state.app.http.request(`/api/v1/slots?${query}`);
      return { status: res.status, body: (await res.json()) as any };
    },
    book,
    /** Books the clinic's service with `practitionerId` at `start` for the clinic's patient number `patient`. */
    bookAt: (practitionerId: string, start: string, patient: number) =>
      book(booking(state.clinic, practitionerId, start, patient)),
    appointmentCount: async () =>
      (await state.app.db.reader.db.select().from(state.app.db.reader.t.appointments)).length,
  });
}
