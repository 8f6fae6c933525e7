import { describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import type { TestApp } from '../../testing/app.ts';
import { createTestApp } from '../../testing/app.ts';
import { booking, bookingApiWorld, TUE_0900 } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { savePractitionerProfile, seedClinic } from '../../testing/factories.ts';
import { signedInAs, staffMember } from '../../testing/signed-in.ts';

/*
 * Issue 15, items 6-8: a staff booking into the past needs a confirmation and sends no
 * confirmation; arrived and completed wait for the appointment's day and start; a room is never
 * held by two appointments at once. The clock stands at Monday 2026-03-02 09:00Z (10:00 Paris).
 */

const codeOf = async (res: Response) => ((await res.json()) as any).error.code as string;

/** The appointment-changed jobs (the patient's "booked" message) enqueued for `appointmentId`. */
const changedJobs = async (app: TestApp, appointmentId: string) =>
  (await app.deps.jobs.admin.list({ name: 'scheduling.appointment-changed' })).filter(
    (j) => (j.payload as any).appointmentId === appointmentId,
  );

/** Two open rooms, the first the default; answers their ids. */
async function twoRooms(app: TestApp): Promise<{ gym: string; room1: string }> {
  await app.deps.availabilityAdmin.addRoom(systemActor, { name: 'Gym', isDefault: true });
  await app.deps.availabilityAdmin.addRoom(systemActor, { name: 'Room 1', isDefault: false });
  const rooms = await app.deps.availabilityAdmin.listRooms();
  return {
    gym: rooms.find((r) => r.name === 'Gym')!.id,
    room1: rooms.find((r) => r.name === 'Room 1')!.id,
  };
}

describe.each(bothDialects)('appointment rules over HTTP on %s', (dialect) => {
  const world = bookingApiWorld(dialect);
  const { book, appointmentCount } = world;

  it('refuses a staff booking in the past without confirmPast (409 start_in_past), books it with, and sends the patient nothing', async () => {
    const { app, clinic, p1 } = world;
    const lastFriday = '2026-02-27T08:00:00.000Z';
    const before = await appointmentCount();
    const unconfirmed = await book(booking(clinic, p1, lastFriday, 0));
    expect(unconfirmed.status).toBe(409);
    expect(await codeOf(unconfirmed)).toBe('start_in_past');
    expect(await appointmentCount()).toBe(before);
    // This morning, an hour ago, is past too.
    const earlier = await book(booking(clinic, p1, '2026-03-02T08:00:00.000Z', 1));
    expect(await codeOf(earlier)).toBe('start_in_past');

    const confirmed = await book({ ...booking(clinic, p1, lastFriday, 0), confirmPast: true });
    expect(confirmed.status).toBe(201);
    const past = ((await confirmed.json()) as any).appointment;
    expect(past).toMatchObject({ start: lastFriday, status: 'booked' });
    expect(await changedJobs(app, past.id)).toEqual([]);
    // A future booking still tells the patient.
    const future = ((await (await book(booking(clinic, p1, TUE_0900, 1))).json()) as any).appointment;
    expect(await changedJobs(app, future.id)).toHaveLength(1);

    // A series starting in the past: the same rule; confirmed, only its future part is messaged.
    const series = { ...booking(clinic, p1, '2026-02-24T09:00:00.000Z', 2), everyWeeks: 1, count: 3 };
    const refused = await world.desk.json('POST', '/api/v1/appointment-series', series);
    expect(refused.status).toBe(409);
    expect(await codeOf(refused)).toBe('start_in_past');
    const booked = await world.desk.json('POST', '/api/v1/appointment-series', {
      ...series,
      confirmPast: true,
    });
    expect(booked.status).toBe(201);
    const created = ((await booked.json()) as any).series.appointments as { id: string; start: string }[];
    expect(created.map((a) => a.start)).toEqual([
      '2026-02-24T09:00:00.000Z',
      '2026-03-03T09:00:00.000Z',
      '2026-03-10T09:00:00.000Z',
    ]);
    expect(await changedJobs(app, created[0]!.id)).toEqual([]);
    expect(await changedJobs(app, created[1]!.id)).toHaveLength(1);
  });

  it('marks arrived only on the appointment’s day and completed only once it has started (409 with a code)', async () => {
    const { app, clinic, p1 } = world;
    let desk = world.desk;
    const status = (id: string, to: string) =>
      desk.json('POST', `/api/v1/appointments/${id}/status`, { status: to });
    /** Moves the clock, and signs in again (a session ends after 30 minutes idle). */
    const at = async (now: string) => {
      app.clock.set(now);
      desk = await signedInAs(app, 'bo@clinic.example');
    };
    // Thursday, three days ahead.
    const thursday = ((await (await book(booking(clinic, p1, '2026-03-05T08:00:00.000Z', 0))).json()) as any)
      .appointment;
    const early = await status(thursday.id, 'arrived');
    expect(early.status).toBe(409);
    expect(await codeOf(early)).toBe('not_appointment_day');
    const notYet = await status(thursday.id, 'completed');
    expect(notYet.status).toBe(409);
    expect(await codeOf(notYet)).toBe('not_started');

    // Today at 16:00 Paris: arrived is fine now (the patient is early); completed waits for 16:00.
    const today = ((await (await book(booking(clinic, p1, '2026-03-02T15:00:00.000Z', 1))).json()) as any)
      .appointment;
    expect((await status(today.id, 'arrived')).status).toBe(200);
    expect(await codeOf(await status(today.id, 'completed'))).toBe('not_started');
    await at('2026-03-02T15:00:00.000Z');
    expect((await status(today.id, 'completed')).status).toBe(200);

    // On Thursday in Paris (00:30 local is still Wednesday 23:30Z): arrived is allowed that day only.
    await at('2026-03-04T23:30:00.000Z');
    expect((await status(thursday.id, 'arrived')).status).toBe(200);
    expect((await status(thursday.id, 'booked')).status).toBe(200);
    await at('2026-03-06T08:00:00.000Z');
    expect(await codeOf(await status(thursday.id, 'arrived'))).toBe('not_appointment_day');
    // Nothing refused was written.
    const rows = await app.db.reader.db.select().from(app.db.reader.t.appointments);
    expect(rows.find((r) => r.id === thursday.id)!.status).toBe('booked');
  });

  it('never gives one room to two appointments at once: bookings, the default room, series and moves', async () => {
    const { app, clinic, desk, p1, p2 } = world;
    const { gym, room1 } = await twoRooms(app);
    const inRoom = (practitionerId: string, start: string, patient: number, roomId?: string) =>
      book({ ...booking(clinic, practitionerId, start, patient), ...(roomId ? { roomId } : {}) });

    const first = await inRoom(p1, TUE_0900, 0, gym);
    expect(first.status).toBe(201);
    const taken = await inRoom(p2, TUE_0900, 1, gym);
    expect(taken.status).toBe(409);
    expect(await codeOf(taken)).toBe('room_taken');
    // 09:30 starts inside the gym's 15-minute buffer after 09:00-09:30.
    expect(await codeOf(await inRoom(p2, '2026-03-03T08:30:00.000Z', 1, gym))).toBe('room_taken');
    expect((await inRoom(p2, '2026-03-03T08:45:00.000Z', 1, gym)).status).toBe(201);
    // The other room is free at 09:00.
    const other = await inRoom(p2, '2026-03-03T07:00:00.000Z', 2, room1);
    expect(other.status).toBe(201);

    // Naming no room: the default when free, else another free room, else none.
    const wed = '2026-03-04T08:00:00.000Z';
    const roomOf = async (res: Response) => ((await res.json()) as any).appointment.roomId;
    expect(await roomOf(await inRoom(p1, wed, 0))).toBe(gym);
    expect(await roomOf(await inRoom(p2, wed, 1))).toBe(room1);
    const p3 = (await seedThirdPractitioner(app, clinic.serviceId)) as string;
    const third = await inRoom(p3, wed, 2);
    expect(third.status).toBe(201);
    expect(await roomOf(third)).toBeNull();

    // A move keeps its room: onto a time the room is taken, it is refused.
    const thu = '2026-03-05T08:00:00.000Z';
    expect((await inRoom(p1, thu, 0, room1)).status).toBe(201);
    const mover = ((await (await inRoom(p2, '2026-03-05T10:00:00.000Z', 1, room1)).json()) as any)
      .appointment;
    const clash = await desk.json('PATCH', `/api/v1/appointments/${mover.id}`, { start: thu, version: 1 });
    expect(clash.status).toBe(409);
    expect(await codeOf(clash)).toBe('room_taken');
    expect(
      (await desk.json('PATCH', `/api/v1/appointments/${mover.id}`, { start: '2026-03-05T09:00:00.000Z' }))
        .status,
    ).toBe(200);

    // A series in a room reports the week the room is taken and books the others.
    expect((await inRoom(p1, '2026-03-16T13:00:00.000Z', 0, gym)).status).toBe(201);
    const series = await desk.json('POST', '/api/v1/appointment-series', {
      ...booking(clinic, p2, '2026-03-09T13:00:00.000Z', 1),
      roomId: gym,
      everyWeeks: 1,
      count: 3,
    });
    const result = ((await series.json()) as any).series;
    expect(result.appointments.map((a: any) => a.start)).toEqual([
      '2026-03-09T13:00:00.000Z',
      '2026-03-23T13:00:00.000Z',
    ]);
    expect(result.conflicts).toEqual([
      { start: '2026-03-16T13:00:00.000Z', code: 'room_taken', message: 'The room is taken at that time.' },
    ]);
  });
});

/** A third practitioner offering the service, made as seedClinic makes them. */
async function seedThirdPractitioner(app: TestApp, serviceId: string): Promise<string> {
  const { account } = await staffMember(app, 'practitioner', { email: 'p3@clinic.example', name: 'P3' });
  await savePractitionerProfile(app, account.id, 'Dr P3', [serviceId], '09:00-17:00');
  return account.id;
}

describe('twelve practitioners book one room at the same time', () => {
  it.each(bothDialects)(
    'on %s: exactly one 201, the rest 409 room_taken',
    async (dialect) => {
      const app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
      try {
        const clinic = await seedClinic(app, { patients: 12, practitioners: 12 });
        const { gym } = await twoRooms(app);
        const desk = await signedInAs(app, 'bo@clinic.example');
        const results = await Promise.all(
          clinic.practitionerIds.map((practitionerId, i) =>
            desk.json('POST', '/api/v1/appointments', {
              ...booking(clinic, practitionerId, TUE_0900, i),
              roomId: gym,
            }),
          ),
        );
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        const refusals = await Promise.all(results.filter((r) => r.status !== 201).map(codeOf));
        expect(refusals).toEqual(Array(11).fill('room_taken'));
        const rows = await app.db.reader.db.select().from(app.db.reader.t.appointments);
        expect(rows.filter((r) => r.roomId === gym)).toHaveLength(1);
      } finally {
        await app.destroy();
      }
    },
    60_000,
  );
});
