import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/*
 * The clock stands at Monday 2026-03-02 09:00Z = 10:00 in Paris. Tuesday 2026-03-03 09:00 Paris
 * is 08:00Z; the practitioners work 09:00-12:00 and 13:00-17:00 on weekdays.
 */
const TUE_0900 = '2026-03-03T08:00:00.000Z';
const TUE_0930 = '2026-03-03T08:30:00.000Z';

/** The booking of the clinic's service with `practitionerId` at `start` for its patient number `patient`. */
const booking = (clinic: ClinicFixture, practitionerId: string, start: string, patient: number) => ({
  serviceId: clinic.serviceId,
  practitionerId,
  start,
  patientId: clinic.patientIds[patient],
});

/** Each test on its own clinic: what one books is not in another's way. */
describe.each(bothDialects)('booking over HTTP on %s', (dialect) => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let desk: TestBrowser;
  let p1: string;
  let p2: string;
  const slots = async (query: string) => {
    const res = await app.http.request(`/api/v1/slots?${query}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const book = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    desk.json('POST', '/api/v1/appointments', body, headers);
  /** Books the clinic's service with `practitionerId` at `start` for the clinic's patient number `patient`. */
  const bookAt = (practitionerId: string, start: string, patient: number) =>
    book(booking(clinic, practitionerId, start, patient));
  const appointmentCount = async () =>
    (await app.db.reader.db.select().from(app.db.reader.t.appointments)).length;

  beforeEach(async () => {
    app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app, { service: { bufferAfterMin: 15 } });
    [p1, p2] = clinic.practitionerIds as [string, string];
    desk = await signedInAs(app, 'bo@clinic.example');
  });
  afterEach(() => app.destroy());

  it('searches slots from the tables: hours, lunch break, buffers, per practitioner, in the clinic zone', async () => {
    const { status, body } = await slots(
      `serviceId=${clinic.serviceId}&practitionerId=${p1}&from=2026-03-03&to=2026-03-03`,
    );
    expect(status).toBe(200);
    const starts = body.slots.map((s: any) => s.start);
    // 30 min + 15 min buffer after: the last morning start is 11:30 local (the buffer may run past the hours).
    expect(starts[0]).toBe(TUE_0900);
    expect(starts).toContain('2026-03-03T10:30:00.000Z');
    expect(starts).not.toContain('2026-03-03T11:00:00.000Z'); // 12:00 local: lunch
    expect(starts).toContain('2026-03-03T12:00:00.000Z'); // 13:00 local
    expect(body.slots.every((s: any) => s.practitionerId === p1)).toBe(true);
    expect(body.slots[0].end).toBe(TUE_0930);
    const any = await slots(`serviceId=${clinic.serviceId}&from=2026-03-03&to=2026-03-03`);
    expect(new Set(any.body.slots.map((s: any) => s.practitionerId))).toEqual(new Set([p1, p2]));
  });

  it('refuses bad slot queries with a clear error', async () => {
    expect((await slots(`serviceId=${clinic.serviceId}&from=2026-03-03`)).body.error.code).toBe(
      'validation_failed',
    );
    expect((await slots(`serviceId=${clinic.serviceId}&from=2026-03-05&to=2026-03-03`)).status).toBe(422);
    expect((await slots(`serviceId=${clinic.serviceId}&from=2026-03-01&to=2026-05-01`)).status).toBe(422);
    expect((await slots(`serviceId=nope&from=2026-03-03&to=2026-03-03`)).status).toBe(404);
  });

  it('books a slot (201), refuses the same or an overlapping one (409 slot_taken), and the slot leaves the search', async () => {
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

  it('moves with the same guarantees and refuses a stale version (the second tab)', async () => {
    const created = (await (await bookAt(p2, '2026-03-04T08:00:00.000Z', 0)).json()) as any;
    const id = created.appointment.id;
    // p2 is busy at 09:00 on Tuesday.
    expect((await bookAt(p2, TUE_0900, 1)).status).toBe(201);
    const clash = await desk.json('PATCH', `/api/v1/appointments/${id}`, { start: TUE_0900, version: 1 });
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as any).error.code).toBe('slot_taken');
    const moved = await desk.json('PATCH', `/api/v1/appointments/${id}`, {
      start: '2026-03-04T09:00:00.000Z',
      version: 1,
    });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as any).appointment).toMatchObject({
      start: '2026-03-04T09:00:00.000Z',
      version: 2,
    });
    // Moving onto its own old time, overlapping itself, is fine.
    const self = await desk.json('PATCH', `/api/v1/appointments/${id}`, {
      start: '2026-03-04T09:15:00.000Z',
      version: 2,
    });
    expect(self.status).toBe(200);
    const stale = await desk.json('PATCH', `/api/v1/appointments/${id}`, {
      start: '2026-03-04T12:00:00.000Z',
      version: 2,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as any).error.code).toBe('stale');
  });

  it('walks the lifecycle: arrived → completed; cancel frees the slot and flags a late patient cancellation', async () => {
    const mk = async (start: string) => ((await (await bookAt(p1, start, 1)).json()) as any).appointment;
    const a = await mk('2026-03-05T08:00:00.000Z');
    const arrived = await desk.json('POST', `/api/v1/appointments/${a.id}/status`, { status: 'arrived' });
    expect(((await arrived.json()) as any).appointment.status).toBe('arrived');
    const bad = await desk.json('POST', `/api/v1/appointments/${a.id}/status`, { status: 'no_show' });
    expect(bad.status).toBe(409);
    expect(((await bad.json()) as any).error.code).toBe('invalid_status');
    const done = await desk.json('POST', `/api/v1/appointments/${a.id}/status`, { status: 'completed' });
    expect(((await done.json()) as any).appointment.status).toBe('completed');
    expect((await desk.json('POST', `/api/v1/appointments/${a.id}/cancel`, {})).status).toBe(409);

    // Within 24 h of the start, a cancellation the patient asked for is late.
    const soon = await mk('2026-03-02T15:00:00.000Z');
    const cancelled = await desk.json('POST', `/api/v1/appointments/${soon.id}/cancel`, {
      by: 'patient',
      reason: 'Feeling better',
    });
    expect(((await cancelled.json()) as any).appointment).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'patient',
      lateCancel: true,
    });
    const early = await mk('2026-03-06T08:00:00.000Z');
    const byClinic = await desk.json('POST', `/api/v1/appointments/${early.id}/cancel`, {
      by: 'clinic',
      reason: 'Practitioner ill',
    });
    expect(((await byClinic.json()) as any).appointment).toMatchObject({
      status: 'cancelled',
      lateCancel: false,
    });
    // The cancelled time can be booked again.
    expect((await bookAt(p1, '2026-03-06T08:00:00.000Z', 0)).status).toBe(201);
  });

  it('lets a practitioner book only into their own calendar', async () => {
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

  it('honours time off, clinic closures and dated extra hours in the search', async () => {
    const t = app.db.reader.t;
    await app.db.tx(async (ctx) => {
      await ctx.db.insert(t.timeOff).values({
        id: 'off-1',
        practitionerId: p1,
        startAt: new Date('2026-03-10T08:00:00Z'),
        endAt: new Date('2026-03-10T11:00:00Z'),
        reason: 'Training',
        createdAt: new Date(),
      });
      await ctx.db
        .insert(t.clinicClosures)
        .values({ date: '2026-03-11', reason: 'Holiday', createdAt: new Date() });
      await ctx.db
        .insert(t.availabilityExceptions)
        .values({ id: 'ex-1', practitionerId: p1, date: '2026-03-14', startTime: '10:00', endTime: '11:00' });
    });
    const day = async (d: string) =>
      (await slots(`serviceId=${clinic.serviceId}&practitionerId=${p1}&from=${d}&to=${d}`)).body.slots.map(
        (s: any) => s.start,
      );
    const tuesday = await day('2026-03-10');
    expect(tuesday).not.toContain('2026-03-10T10:30:00.000Z'); // inside time off
    expect(tuesday).toContain('2026-03-10T12:00:00.000Z'); // 13:00 local, after it
    expect(await day('2026-03-11')).toEqual([]);
    expect(await day('2026-03-14')).toEqual([
      '2026-03-14T09:00:00.000Z',
      '2026-03-14T09:15:00.000Z',
      '2026-03-14T09:30:00.000Z',
    ]); // Saturday 10:00-11:00 extra
  });
});

describe.each(bothDialects)('recurring appointments on %s', (dialect) => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let desk: TestBrowser;
  beforeAll(async () => {
    app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app);
    desk = await signedInAs(app, 'bo@clinic.example');
  });
  afterAll(() => app.destroy());

  it('books every week at the same wall time across the DST change, reports each clash, and cancels all following', async () => {
    const p1 = clinic.practitionerIds[0]!;
    // Someone has Tuesday 2026-03-31 09:00 Paris (after the clocks change on 29 March: 07:00Z).
    const clash = await desk.json(
      'POST',
      '/api/v1/appointments',
      booking(clinic, p1, '2026-03-31T07:00:00.000Z', 1),
    );
    expect(clash.status).toBe(201);
    const res = await desk.json('POST', '/api/v1/appointment-series', {
      serviceId: clinic.serviceId,
      practitionerId: p1,
      patientId: clinic.patientIds[0],
      start: '2026-03-17T08:00:00.000Z', // Tuesday 09:00 Paris, winter time
      everyWeeks: 1,
      count: 5,
    });
    expect(res.status).toBe(201);
    const { series } = (await res.json()) as any;
    expect(series.appointments.map((a: any) => a.start)).toEqual([
      '2026-03-17T08:00:00.000Z',
      '2026-03-24T08:00:00.000Z',
      '2026-04-07T07:00:00.000Z', // still 09:00 on the wall clock
      '2026-04-14T07:00:00.000Z',
    ]);
    expect(series.conflicts).toEqual([
      { start: '2026-03-31T07:00:00.000Z', code: 'slot_taken', message: 'Already booked at that time.' },
    ]);
    expect(new Set(series.appointments.map((a: any) => a.seriesId))).toEqual(new Set([series.id]));

    const second = series.appointments[1];
    const cancelled = await desk.json('POST', `/api/v1/appointments/${second.id}/cancel`, {
      by: 'clinic',
      scope: 'following',
    });
    expect(cancelled.status).toBe(200);
    const statuses = await Promise.all(
      series.appointments.map(
        async (a: any) =>
          ((await (await desk.get(`/api/v1/appointments/${a.id}`)).json()) as any).appointment.status,
      ),
    );
    expect(statuses).toEqual(['booked', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('refuses a series without an end, or longer than 52', async () => {
    const base = {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[1],
      patientId: clinic.patientIds[0],
      start: '2026-05-05T07:00:00.000Z',
      everyWeeks: 1,
    };
    expect((await desk.json('POST', '/api/v1/appointment-series', base)).status).toBe(422);
    expect((await desk.json('POST', '/api/v1/appointment-series', { ...base, count: 60 })).status).toBe(422);
    const until = await desk.json('POST', '/api/v1/appointment-series', {
      ...base,
      everyWeeks: 2,
      until: '2026-06-02',
    });
    expect(((await until.json()) as any).series.appointments).toHaveLength(3); // 5 May, 19 May, 2 June
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
