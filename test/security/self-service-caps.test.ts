import { beforeEach, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../src/testing/browser.ts';
import { bookAppointment } from '../../src/testing/factories.ts';
import { seededPerTest } from '../../src/testing/seeded-app.ts';
import { signedInPatient, signedInStaff } from '../../src/testing/signed-in.ts';

/*
 * Issue 14, item 7: one patient booked 7 appointments in a second and made 6 dependants. Now the
 * clinic caps the open (future, not cancelled) appointments a patient books online (default 5)
 * and the dependants per guardian (default 10); the admin sets both on the settings page; a
 * refusal has a stable code and says why in the patient's language; a double tap at the limit
 * passes once. Clock: Monday 2026-03-02 09:00Z; the practitioners work 09:00–12:00 Paris
 * (08:00–11:00Z) on Wednesday 2026-03-04, more than the 24-hour cancellation window away.
 */
const wednesdayAt = (utcTime: string) => `2026-03-04T${utcTime}:00.000Z`;
const MORNING = ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30'].map(wednesdayAt);
const THURSDAY_MORNING = MORNING.map((start) => start.replace('2026-03-04', '2026-03-05'));

describe('caps on what a patient does alone', () => {
  const w = seededPerTest({ config: { staffMfa: 'optional' } });
  let patient: TestBrowser;
  let patientId: string;
  beforeEach(async () => {
    ({
      browser: patient,
      patient: { id: patientId },
    } = await signedInPatient(w().app));
  });

  const book = (start: string, practitioner = 0, headers: Record<string, string> = {}) =>
    patient.json(
      'POST',
      '/api/v1/appointments',
      { serviceId: w().clinic.serviceId, practitionerId: w().clinic.practitionerIds[practitioner], start },
      headers,
    );
  const addDependent = (n: number) =>
    patient.json('POST', '/api/v1/me/dependents', {
      firstName: `Kid${n}`,
      lastName: 'Tester',
      dateOfBirth: '2015-06-01',
    });
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;
  /** The admin saves the settings page with the current values and `changes`. */
  const saveSettings = async (changes: Record<string, string>) => {
    const { browser: admin } = await signedInStaff(w().app, 'admin');
    const page = await admin.text(await admin.get('/staff/settings'));
    expect(page).toContain('name="openBookingsPerPatient"');
    expect(page).toContain('name="dependentsPerGuardian"');
    const s = await w().app.deps.clinic.get();
    const res = await admin.post('/staff/settings', {
      name: s.name,
      timeZone: s.timeZone,
      locale: s.locale,
      address: s.address,
      phone: s.phone,
      minNoticeMinutes: String(s.minNoticeMinutes),
      horizonDays: String(s.horizonDays),
      cancellationWindowHours: String(s.cancellationWindowHours),
      selfBooking: 'on',
      selfRegistration: 'on',
      reminderHours: s.reminderHours.join(', '),
      quietStart: s.smsQuietHours?.start ?? '',
      quietEnd: s.smsQuietHours?.end ?? '',
      ...changes,
    });
    expect(res.headers.get('location')).toBe('/staff/settings?notice=saved');
  };

  it('refuses a sixth open appointment booked online (too_many_open_appointments), in French too; staff bookings, cancelled and past ones do not count', async () => {
    for (const start of MORNING.slice(0, 5)) expect((await book(start)).status).toBe(201);
    const sixth = await book(MORNING[5]!);
    expect(sixth.status).toBe(409);
    const error = await errorOf(sixth);
    expect(error.code).toBe('too_many_open_appointments');
    expect(error.message).toContain('5');
    const french = await errorOf(await book(MORNING[5]!, 0, { 'accept-language': 'fr' }));
    expect(french.code).toBe('too_many_open_appointments');
    expect(french.message).toMatch(/rendez-vous/);
    // The desk is not held to it, and what it books does not count against the patient.
    await bookAppointment(w().app, w().clinic, patientId, MORNING[0]!, w().clinic.practitionerIds[1]);
    expect((await errorOf(await book(MORNING[5]!))).code).toBe('too_many_open_appointments');

    // A cancelled appointment frees its place.
    const mine = (await (await patient.get('/api/v1/me/appointments')).json()) as {
      appointments: { id: string; start: string; practitionerId: string }[];
    };
    const first = mine.appointments.find(
      (a) => a.start === MORNING[0] && a.practitionerId === w().clinic.practitionerIds[0],
    )!;
    expect((await patient.json('POST', `/api/v1/appointments/${first.id}/cancel`, {})).status).toBe(200);
    expect((await book(MORNING[5]!)).status).toBe(201);
    expect((await book(wednesdayAt('13:00'))).status).toBe(409);

    // Once they are past, they are not open any more.
    w().app.clock.set('2026-03-05T09:00:00Z');
    expect((await book('2026-03-09T08:00:00.000Z')).status).toBe(201);
  });

  it('lets the admin set the cap on the settings page', async () => {
    await saveSettings({ openBookingsPerPatient: '2' });
    expect((await w().app.deps.clinic.get()).openBookingsPerPatient).toBe(2);
    expect((await book(MORNING[0]!)).status).toBe(201);
    expect((await book(MORNING[1]!)).status).toBe(201);
    expect((await errorOf(await book(MORNING[2]!))).message).toContain('2');
    await saveSettings({ openBookingsPerPatient: '3' });
    expect((await book(MORNING[2]!)).status).toBe(201);
  });

  it('lets one of two parallel bookings at the limit through (a double tap), and no more than the cap when many race', async () => {
    for (const start of MORNING.slice(0, 4)) expect((await book(start)).status).toBe(201);
    // Two practitioners: each request holds a different practitioner's lock.
    const tap = await Promise.all([book(MORNING[4]!, 0), book(MORNING[4]!, 1)]);
    expect(tap.map((r) => r.status).sort()).toEqual([201, 409]);

    // Another patient fires eight at once, at free times.
    const { patient: other, browser } = await signedInPatient(w().app);
    patient = browser;
    const times = THURSDAY_MORNING.flatMap((start) =>
      [0, 1].map((practitioner) => ({ start, practitioner })),
    );
    const many = await Promise.all(times.slice(0, 8).map((t) => book(t.start, t.practitioner)));
    expect(many.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of many.filter((r) => r.status !== 201)) {
      expect((await errorOf(r)).code).toBe('too_many_open_appointments');
    }
    const rows = await w().app.db.reader.db.select().from(w().app.db.reader.t.appointments);
    expect(rows.filter((r) => r.patientId === other.id)).toHaveLength(5);
    expect(rows.filter((r) => r.patientId === patientId)).toHaveLength(5);
  });

  it('refuses an eleventh dependant (too_many_dependants), passes one of parallel requests at the limit, and follows the setting', async () => {
    for (let n = 1; n <= 9; n++) expect((await addDependent(n)).status).toBe(201);
    const race = await Promise.all([addDependent(10), addDependent(11), addDependent(12)]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const refused = race.find((r) => r.status === 409)!;
    const error = await errorOf(refused);
    expect(error.code).toBe('too_many_dependants');
    expect(error.message).toContain('10');
    const family = (await (await patient.get('/api/v1/me/dependents')).json()) as { dependents: unknown[] };
    expect(family.dependents).toHaveLength(10);

    await saveSettings({ dependentsPerGuardian: '11' });
    expect((await addDependent(13)).status).toBe(201);
    expect((await errorOf(await addDependent(14))).code).toBe('too_many_dependants');
  });
});
