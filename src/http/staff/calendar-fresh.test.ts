import { describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { bookingApiWorld } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { openRawDatabase } from '../../testing/raw-database.ts';
import { signedInClinicStaff } from '../../testing/signed-in.ts';

/**
 * The calendar's grid is kept in memory on SQLite until an appointment, service or patient
 * changes (db/versioned-read.ts): whatever changes what it draws — a booking, a move, a renamed
 * patient or service, a write from outside the server — shows at the very next load, and every
 * load is audited.
 */
describe.each(bothDialects)('the calendar after a change on %s', (dialect) => {
  const world = bookingApiWorld(dialect);
  const TUE_0900 = '2026-03-03T08:00:00.000Z';

  it('draws a booking, a move, a renamed patient and service and an outside write at the next load', async () => {
    const { app, clinic, desk, p1, bookAt } = world;
    const day = async () => desk.text(await desk.get(`/staff/calendar?date=2026-03-03&practitioner=${p1}`));
    const week = async () =>
      desk.text(await desk.get(`/staff/calendar?view=week&date=2026-03-03&practitioner=${p1}`));
    expect(await week()).not.toContain('Pat1 Ient1');

    const booked = (await (await bookAt(p1, TUE_0900, 0)).json()) as { appointment: { id: string } };
    const id = booked.appointment.id;
    expect(await week()).toMatch(/<strong>09:00<\/strong> Pat1 Ient1/);
    expect(await week()).toMatch(/<strong>09:00<\/strong> Pat1 Ient1/);

    const moved = await desk.json('PATCH', `/api/v1/appointments/${id}`, {
      start: '2026-03-03T09:00:00.000Z',
      version: 1,
    });
    expect(moved.status).toBe(200);
    expect(await week()).toMatch(/<strong>10:00<\/strong> Pat1 Ient1/);

    const patient = (await (await desk.get(`/api/v1/patients/${clinic.patientIds[0]}`)).json()) as {
      patient: { version: number };
    };
    const renamed = await desk.json('PATCH', `/api/v1/patients/${clinic.patientIds[0]}`, {
      lastName: 'Okafor',
      version: patient.patient.version,
    });
    expect(renamed.status).toBe(200);
    expect(await week()).toMatch(/<strong>10:00<\/strong> Pat1 Okafor/);

    await app.deps.services.update(systemActor, clinic.serviceId, {
      ...(await app.deps.services.get(clinic.serviceId)),
      name: 'Sports physio',
    });
    expect(await day()).toContain('Sports physio');

    // Another process (a CLI command, a sqlite3 shell) cancels it: the next load shows it.
    const raw = await openRawDatabase(app.db);
    try {
      await raw.run("update appointments set status = 'cancelled' where id = ?", id);
    } finally {
      await raw.close();
    }
    expect(await week()).not.toContain('Pat1 Okafor'); // the grid leaves cancelled ones out

    const loads = (await app.deps.audit.list({ limit: 1000 })).filter(
      (r) => r.action === 'appointment.list' && r.actorId === clinic.receptionId,
    );
    expect(loads).toHaveLength(7); // every load above, the ones drawn from memory too
  });

  it('draws each member the free times they may book, the same grid kept or not', async () => {
    const { app, desk, p1, p2 } = world;
    const { doctor } = await signedInClinicStaff(app, 'doctor');
    const bookHere = (html: string, practitionerId: string) =>
      (html.match(new RegExp(`practitionerId=${practitionerId}&amp;date=2026-03-03&amp;time=`, 'g')) ?? [])
        .length;
    const dayOf = async (browser: typeof desk) =>
      browser.text(await browser.get('/staff/calendar?date=2026-03-03'));

    const atDesk = await dayOf(desk);
    expect(bookHere(atDesk, p1)).toBeGreaterThan(0);
    expect(bookHere(atDesk, p2)).toBeGreaterThan(0);
    // The doctor is practitioner 1: their own free times only, though nothing changed in between.
    const atDoctor = await dayOf(doctor);
    expect(bookHere(atDoctor, p1)).toBe(bookHere(atDesk, p1));
    expect(bookHere(atDoctor, p2)).toBe(0);
    expect(bookHere(await dayOf(desk), p2)).toBe(bookHere(atDesk, p2));
  });
});
