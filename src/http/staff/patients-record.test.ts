import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

/**
 * The chart's Appointments over HTTP: each one, upcoming or past, opens its appointment (where the
 * front desk moves, cancels or marks it) instead of being text to look up again in the calendar.
 * Runs on the suite's dialect.
 */
describe('the chart’s appointments', () => {
  let { app, clinic, desk } = {} as ClinicStaffWorld;
  beforeAll(async () => {
    ({ app, clinic, desk } = await clinicStaffWorld());
  });
  afterAll(() => app.destroy());

  it('link each upcoming and past appointment to its page', async () => {
    const ana = (await patientOnRecord(app, { firstName: 'Ana' })).id;
    const { appointment: past } = await app.deps.appointments.book(
      { actor: { type: 'staff', id: clinic.receptionId }, role: 'reception' },
      {
        serviceId: clinic.serviceId,
        practitionerId: clinic.practitionerIds[0]!,
        start: '2026-02-23T08:00:00.000Z',
        patientId: ana,
        confirmPast: true,
      },
    );
    const next = await bookAppointment(app, clinic, ana, '2026-03-09T13:00:00.000Z');
    const chart = await desk.text(await desk.get(`/staff/patients/${ana}`));
    expect(chart).toMatch(
      new RegExp(`Upcoming[\\s\\S]*<a href="/staff/appointments/${next.id}">Mon 9 Mar 2026, 14:00</a>`),
    );
    expect(chart).toMatch(
      new RegExp(`Past[\\s\\S]*<a href="/staff/appointments/${past.id}">Mon 23 Feb 2026, 09:00</a>`),
    );
    // The link opens the calendar on the appointment's day, its panel open.
    const opened = await desk.get(`/staff/appointments/${next.id}`);
    expect(opened.headers.get('location')).toBe(`/staff/appointments/${next.id}?view=day&date=2026-03-09`);
    expect((await desk.get(opened.headers.get('location')!)).status).toBe(200);
  });
});
