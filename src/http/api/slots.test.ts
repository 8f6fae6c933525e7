import { describe, expect, it } from 'vitest';
import { bookingApiWorld, TUE_0900, TUE_0930 } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';

describe.each(bothDialects)('slot search over HTTP on %s', (dialect) => {
  const world = bookingApiWorld(dialect);
  const { slots } = world;

  it('searches slots from the tables: hours, lunch break, buffers, per practitioner, in the clinic zone', async () => {
    const { clinic, p1, p2 } = world;
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
    const { clinic } = world;
    expect((await slots(`serviceId=${clinic.serviceId}&from=2026-03-03`)).body.error.code).toBe(
      'validation_failed',
    );
    expect((await slots(`serviceId=${clinic.serviceId}&from=2026-03-05&to=2026-03-03`)).status).toBe(422);
    expect((await slots(`serviceId=${clinic.serviceId}&from=2026-03-01&to=2026-05-01`)).status).toBe(422);
    expect((await slots(`serviceId=nope&from=2026-03-03&to=2026-03-03`)).status).toBe(404);
  });

  it('honours time off, clinic closures and dated extra hours in the search', async () => {
    const { app, clinic, p1 } = world;
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
