import { describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { bookingApiWorld } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { savePractitionerProfile } from '../../testing/factories.ts';
import { addDependant, patientBrowser } from '../../testing/patient-browser.ts';
import { openRawDatabase } from '../../testing/raw-database.ts';

/**
 * A patient's own list (`GET /api/v1/me/appointments`) is kept in memory on SQLite until an
 * appointment, service or practitioner changes (db/versioned-read.ts): whatever changes it — a
 * move, a cancellation, a renamed service or practitioner, a new family member's booking, a
 * write from outside the server — shows on the very next read, and every read is audited.
 */
describe.each(bothDialects)("a patient's appointment list on %s", (dialect) => {
  const world = bookingApiWorld(dialect);

  const WED_0900 = '2026-03-04T08:00:00.000Z';
  const WED_1000 = '2026-03-04T09:00:00.000Z';

  async function patientWithBooking() {
    const { app, clinic, p1, bookAt } = world;
    const booked = (await (await bookAt(p1, WED_0900, 0)).json()) as { appointment: { id: string } };
    const patient = await patientBrowser(app, clinic.patientIds[0]!);
    const list = async () => {
      const res = await patient.get('/api/v1/me/appointments');
      expect(res.status).toBe(200);
      return ((await res.json()) as { appointments: Record<string, unknown>[] }).appointments;
    };
    return { id: booked.appointment.id, patient, list };
  }

  it('shows a move, a cancellation and renamed service and practitioner at the next read', async () => {
    const { app, clinic, desk, p1 } = world;
    const { id, list } = await patientWithBooking();
    expect(await list()).toMatchObject([
      { id, start: WED_0900, service: 'Physiotherapy', practitioner: 'Dr P1' },
    ]);
    expect(await list()).toMatchObject([{ id, start: WED_0900 }]);

    const moved = await desk.json('PATCH', `/api/v1/appointments/${id}`, { start: WED_1000, version: 1 });
    expect(moved.status).toBe(200);
    expect(await list()).toMatchObject([{ id, start: WED_1000, version: 2 }]);

    // Renamed by the clinic's services and practitioners modules, as the settings pages do.
    await app.deps.services.update(systemActor, clinic.serviceId, {
      ...(await app.deps.services.get(clinic.serviceId)),
      name: 'Sports physio',
    });
    expect(await list()).toMatchObject([{ id, service: 'Sports physio', practitioner: 'Dr P1' }]);
    await savePractitionerProfile(app, p1, 'Dr Amara Diallo', [clinic.serviceId], '09:00-12:00, 13:00-17:00');
    expect(await list()).toMatchObject([{ id, practitioner: 'Dr Amara Diallo' }]);

    const cancelled = await desk.json('POST', `/api/v1/appointments/${id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(await list()).toMatchObject([{ id, status: 'cancelled', cancelledBy: 'clinic' }]);
  });

  it('shows a family member’s new booking and a change written from outside the server', async () => {
    const { app, p2, bookAt } = world;
    const { id, patient, list } = await patientWithBooking();
    expect(await list()).toHaveLength(1);

    const child = await addDependant(patient, {
      firstName: 'Kit',
      lastName: 'Ient1',
      dateOfBirth: '2018-04-02',
    });
    expect(await list()).toHaveLength(1);
    expect((await bookAt(p2, WED_1000, 0)).status).toBe(201); // the guardian's own second one
    expect(await list()).toHaveLength(2);
    const forChild = await world.book({
      serviceId: world.clinic.serviceId,
      practitionerId: p2,
      start: '2026-03-05T08:00:00.000Z',
      patientId: child,
    });
    expect(forChild.status).toBe(201);
    expect((await list()).map((a) => a.patientId)).toContain(child);

    // Another process (a CLI command, a sqlite3 shell) changes the row: the next read shows it.
    const raw = await openRawDatabase(app.db);
    try {
      await raw.run('update appointments set visit_reason = ? where id = ?', 'Knee, left', id);
    } finally {
      await raw.close();
    }
    expect((await list()).find((a) => a.id === id)).toMatchObject({ reason: 'Knee, left' });
  });

  it('audits every read, the ones answered from memory too', async () => {
    const { app } = world;
    const { list } = await patientWithBooking();
    const reads = async () =>
      (await app.deps.audit.list({ limit: 1000 })).filter((r) => r.action === 'appointment.list').length;
    const before = await reads();
    for (let i = 0; i < 5; i++) expect(await list()).toHaveLength(1);
    expect(await reads()).toBe(before + 5);
  });
});
