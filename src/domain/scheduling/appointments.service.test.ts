import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { systemActor } from '../audit/index.ts';
import type { Booker } from './appointments.service.ts';

/*
 * The rules patients book under (their sign-in comes with the patient issue; the domain enforces
 * them now): only offered slots, approval, the cancellation window, and their own appointments
 * only. Clock: Monday 2026-03-02 09:00Z = 10:00 Paris; notice 120 min for these tests. Each test
 * on its own clinic (one turns self-booking off).
 */
describe('booking as a patient', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let me: Booker;
  let other: Booker;
  const code = (e: unknown) => (e as { code?: string }).code;
  beforeEach(async () => {
    app = await createTestApp();
    clinic = await seedClinic(app, { minNoticeMinutes: 120, cancellationWindowHours: 24 });
    me = { actor: { type: 'patient', id: clinic.patientIds[0]! } };
    other = { actor: { type: 'patient', id: clinic.patientIds[1]! } };
  });
  afterEach(() => app.destroy());
  const book = (who: Booker, start: string, practitioner = 0) =>
    app.deps.appointments.book(who, {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[practitioner]!,
      start,
    });

  it('books only times online search offers: not within the notice, not off the grid, not out of hours', async () => {
    await expect(book(me, '2026-03-02T10:00:00.000Z')).rejects.toSatisfy(
      (e) => code(e) === 'slot_unavailable',
    ); // 11:00, inside 2 h notice
    await expect(book(me, '2026-03-03T08:10:00.000Z')).rejects.toSatisfy(
      (e) => code(e) === 'slot_unavailable',
    ); // 09:10, off the 15-min grid
    await expect(book(me, '2026-03-03T06:00:00.000Z')).rejects.toSatisfy(
      (e) => code(e) === 'slot_unavailable',
    ); // 07:00, before hours
    const { appointment } = await book(me, '2026-03-03T08:00:00.000Z');
    expect(appointment).toMatchObject({ status: 'booked', patientId: clinic.patientIds[0] });
  });

  it('sees and cancels only their own appointments, and not within the cancellation window', async () => {
    const { appointment: mine } = await book(me, '2026-03-05T08:00:00.000Z');
    await expect(app.deps.appointments.get(other, mine.id)).rejects.toSatisfy((e) => code(e) === 'not_found');
    await expect(app.deps.appointments.cancel(other, mine.id, {})).rejects.toSatisfy(
      (e) => code(e) === 'not_found',
    );
    const { appointment: soon } = await book(me, '2026-03-02T13:00:00.000Z'); // 14:00 today
    await expect(app.deps.appointments.cancel(me, soon.id, {})).rejects.toSatisfy(
      (e) => code(e) === 'too_late',
    );
    const cancelled = await app.deps.appointments.cancel(me, mine.id, { by: 'clinic' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'patient', lateCancel: false });
  });

  it('books a service that needs approval as requested; with self-booking off, not at all', async () => {
    await app.deps.services.update(systemActor, clinic.serviceId, {
      ...(await app.deps.services.get(clinic.serviceId)),
      requiresApproval: true,
    });
    const { appointment } = await book(me, '2026-03-04T09:00:00.000Z', 1);
    expect(appointment.status).toBe('requested');
    await app.deps.clinic.update(systemActor, { ...(await app.deps.clinic.get()), selfBooking: false });
    await expect(book(me, '2026-03-04T10:00:00.000Z', 1)).rejects.toSatisfy(
      (e) => code(e) === 'booking_closed',
    );
  });
});
