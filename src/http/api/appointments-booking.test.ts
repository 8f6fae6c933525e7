import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing/app.ts';
import { booking, bookingApiWorld, TUE_0900, TUE_0930 } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

describe.each(bothDialects)('booking over HTTP on %s', (dialect) => {
  const world = bookingApiWorld(dialect);
  const { slots, book, bookAt, appointmentCount } = world;

  it('books a slot (201), refuses the same or an overlapping one (409 slot_taken), and the slot leaves the search', async () => {
    const { app, clinic, p1, p2 } = world;
    const res = await bookAt(p1, TUE_0900, 0);
    expect(res.status).toBe(201);
    const { appointment } = (await res.json()) as any;
    expect(appointment).toMatchObject({
      id: expect.any(String),
      status: 'booked',
      start: TUE_0900,
      end: TUE_0930,
      version: 1,
    });
    expect(res.headers.get('location')).toBe(`/api/v1/appointments/${appointment.id}`);

    const again = await bookAt(p1, TUE_0900, 1);
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe('slot_taken');
    // 09:30 would start inside the 15-minute buffer after 09:00–09:30.
    const overlap = await bookAt(p1, '2026-03-03T08:30:00.000Z', 1);
    expect(overlap.status).toBe(409);
    // Another practitioner is free at the same time.
    expect((await bookAt(p2, TUE_0900, 1)).status).toBe(201);

    const after = await slots(
      `serviceId=${clinic.serviceId}&practitionerId=${p1}&from=2026-03-03&to=2026-03-03`,
    );
    const starts = after.body.slots.map((s: any) => s.start);
    expect(starts).not.toContain(TUE_0900);
    expect(starts).not.toContain('2026-03-03T08:30:00.000Z');
    expect(starts).toContain('2026-03-03T08:45:00.000Z');

    // The change was audited and its notification job enqueued with it.
    const jobs = await app.deps.jobs.admin.list({ name: 'scheduling.appointment-changed' });
    expect(jobs.some((j) => (j.payload as any).appointmentId === appointment.id)).toBe(true);
    const audit = await app.deps.audit.list({});
    expect(audit.some((r: any) => r.action === 'appointment.book' && r.entityId === appointment.id)).toBe(
      true,
    );
  });

  it('answers a repeated Idempotency-Key with the first appointment, and refuses the key for another request', async () => {
    const { clinic, p1 } = world;
    const body = {
      serviceId: clinic.serviceId,
      practitionerId: p1,
      start: '2026-03-03T09:30:00.000Z',
      patientId: clinic.patientIds[2],
    };
    const first = await book(body, { 'idempotency-key': 'tap-1' });
    const second = await book(body, { 'idempotency-key': 'tap-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as any).appointment.id).toBe(((await first.json()) as any).appointment.id);
    const before = await appointmentCount();
    const reused = await book({ ...body, start: '2026-03-03T13:00:00.000Z' }, { 'idempotency-key': 'tap-1' });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as any).error.code).toBe('idempotency_key_reused');
    expect(await appointmentCount()).toBe(before);
  });

  it('refuses bad booking input with a clear error and writes nothing', async () => {
    const { app, clinic, desk, p1 } = world;
    const before = await appointmentCount();
    const cases: [Record<string, unknown>, number, string][] = [
      [
        {
          serviceId: clinic.serviceId,
          practitionerId: p1,
          start: 'tomorrow',
          patientId: clinic.patientIds[0],
        },
        422,
        'validation_failed',
      ],
      [{ serviceId: clinic.serviceId, practitionerId: p1, start: TUE_0930 }, 422, 'validation_failed'],
      [
        {
          serviceId: clinic.serviceId,
          practitionerId: 'nobody',
          start: TUE_0930,
          patientId: clinic.patientIds[0],
        },
        404,
        'not_found',
      ],
      [
        { serviceId: clinic.serviceId, practitionerId: p1, start: TUE_0930, patientId: 'nobody' },
        404,
        'not_found',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await book(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as any).error.code).toBe(code);
    }
    const notJson = await desk.post('/api/v1/appointments', { serviceId: clinic.serviceId });
    expect(notJson.status).toBe(415);
    const crossSite = await desk.json('POST', '/api/v1/appointments', {}, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const anonymous = await app.http.request('/api/v1/appointments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
    expect(await appointmentCount()).toBe(before);
  });

  it('lets a practitioner book only into their own calendar', async () => {
    const { app, clinic, p1, p2 } = world;
    const p = await signedInAs(app, 'p1@clinic.example');
    const other = await p.json(
      'POST',
      '/api/v1/appointments',
      booking(clinic, p2, '2026-03-09T08:00:00.000Z', 0),
    );
    expect(other.status).toBe(403);
    const own = await p.json(
      'POST',
      '/api/v1/appointments',
      booking(clinic, p1, '2026-03-09T08:00:00.000Z', 0),
    );
    expect(own.status).toBe(201);
  });
});

describe('fifty receptionists book one slot at once', () => {
  it.each(bothDialects)('on %s: exactly one 201, the rest 409 slot_taken', async (dialect) => {
    const app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    try {
      const clinic = await seedClinic(app, { patients: 50, practitioners: 1 });
      const desk = await signedInAs(app, 'bo@clinic.example');
      const results = await Promise.all(
        clinic.patientIds.map((patientId) =>
          desk.json('POST', '/api/v1/appointments', {
            serviceId: clinic.serviceId,
            practitionerId: clinic.practitionerIds[0],
            start: TUE_0900,
            patientId,
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      const rows = await app.db.reader.db.select().from(app.db.reader.t.appointments);
      expect(rows).toHaveLength(1);
      await app.deps.audit.verify().then((v) => expect(v.ok).toBe(true));
    } finally {
      await app.destroy();
    }
  });
});
