import { beforeAll, describe, expect, it } from 'vitest';
import { booking } from '../../testing/booking-api-world.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { seededPerSuite } from '../../testing/seeded-app.ts';
import { signedInAs } from '../../testing/signed-in.ts';

describe.each(bothDialects)('recurring appointments on %s', (dialect) => {
  const w = seededPerSuite({ dialect, config: { staffMfa: 'optional' } });
  let desk: TestBrowser;
  beforeAll(async () => {
    desk = await signedInAs(w().app, 'bo@clinic.example');
  });

  it('books every week at the same wall time across the DST change, reports each clash, and cancels all following', async () => {
    const p1 = w().clinic.practitionerIds[0]!;
    // Someone has Tuesday 2026-03-31 09:00 Paris (after the clocks change on 29 March: 07:00Z).
    const clash = await desk.json(
      'POST',
      '/api/v1/appointments',
      booking(w().clinic, p1, '2026-03-31T07:00:00.000Z', 1),
    );
    expect(clash.status).toBe(201);
    const res = await desk.json('POST', '/api/v1/appointment-series', {
      serviceId: w().clinic.serviceId,
      practitionerId: p1,
      patientId: w().clinic.patientIds[0],
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
      serviceId: w().clinic.serviceId,
      practitionerId: w().clinic.practitionerIds[1],
      patientId: w().clinic.patientIds[0],
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
