import { describe, expect, it } from 'vitest';
import { bookingApiWorld, TUE_0900 } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';

describe.each(bothDialects)('changing a booking over HTTP on %s', (dialect) => {
  const world = bookingApiWorld(dialect);
  const { bookAt } = world;

  it('moves with the same guarantees and refuses a stale version (the second tab)', async () => {
    const { desk, p2 } = world;
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
    const { app, desk, p1 } = world;
    const mk = async (start: string) => ((await (await bookAt(p1, start, 1)).json()) as any).appointment;
    // Today (Monday) at 10:30 Paris; the clock then moves to its start (arrived waits for the day, completed for the start).
    const a = await mk('2026-03-02T09:30:00.000Z');
    app.clock.set('2026-03-02T09:30:00.000Z');
    const arrived = await desk.json('POST', `/api/v1/appointments/${a.id}/status`, { status: 'arrived' });
    expect(((await arrived.json()) as any).appointment.status).toBe('arrived');
    const bad = await desk.json('POST', `/api/v1/appointments/${a.id}/status`, { status: 'no_show' });
    expect(bad.status).toBe(409);
    expect(((await bad.json()) as any).error.code).toBe('invalid_status');
    const done = await desk.json('POST', `/api/v1/appointments/${a.id}/status`, { status: 'completed' });
    expect(((await done.json()) as any).appointment.status).toBe('completed');
    expect((await desk.json('POST', `/api/v1/appointments/${a.id}/cancel`, {})).status).toBe(409);

    // Within 24 h of the start, a cancellation the patient asked for is late.
    /** Books at `start`, cancels as `by` said, and answers the cancelled appointment. */
    const bookAndCancel = async (start: string, by: 'patient' | 'clinic', reason: string) => {
      const { id } = await mk(start);
      const res = await desk.json('POST', `/api/v1/appointments/${id}/cancel`, { by, reason });
      return ((await res.json()) as any).appointment;
    };
    expect(await bookAndCancel('2026-03-02T15:00:00.000Z', 'patient', 'Feeling better')).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'patient',
      lateCancel: true,
    });
    expect(await bookAndCancel('2026-03-06T08:00:00.000Z', 'clinic', 'Practitioner ill')).toMatchObject({
      status: 'cancelled',
      lateCancel: false,
    });
    // The cancelled time can be booked again.
    expect((await bookAt(p1, '2026-03-06T08:00:00.000Z', 0)).status).toBe(201);
  });
});
