import { describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { booking, bookingApiWorld, TUE_0900 } from '../../testing/booking-api-world.ts';
import { bothDialects } from '../../testing/db.ts';

/** Issue 15, item 20: a reason for the visit, asked per service, given at booking and shown back. */
describe.each(bothDialects)('the reason for the visit over HTTP on %s', (dialect) => {
  const world = bookingApiWorld(dialect);

  it('a service says whether it asks; a booking keeps the reason given, trimmed, and shows it', async () => {
    const { app, clinic, p1, book } = world;
    const service = await app.deps.services.get(clinic.serviceId);
    await app.deps.services.update(systemActor, clinic.serviceId, { ...service, askReason: true });
    const listed = (await (await app.http.request('/api/v1/services')).json()) as any;
    expect(listed.services.find((s: any) => s.id === clinic.serviceId)).toMatchObject({ askReason: true });

    const res = await book({
      ...booking(clinic, p1, TUE_0900, 0),
      reason: '  Sore left knee after running  ',
    });
    expect(res.status).toBe(201);
    const { appointment } = (await res.json()) as any;
    expect(appointment.reason).toBe('Sore left knee after running');
    const read = (await (await world.desk.get(`/api/v1/appointments/${appointment.id}`)).json()) as any;
    expect(read.appointment.reason).toBe('Sore left knee after running');
  });

  it('no reason is null; a reason over 500 characters is refused and books nothing', async () => {
    const { clinic, p1, book, appointmentCount } = world;
    const tooLong = await book({ ...booking(clinic, p1, TUE_0900, 0), reason: 'x'.repeat(501) });
    expect(tooLong.status).toBe(422);
    expect(((await tooLong.json()) as any).error.issues[0]).toMatchObject({
      path: 'reason',
      code: 'reason_too_long',
    });
    expect(await appointmentCount()).toBe(0);
    const plain = (await (await book(booking(clinic, p1, TUE_0900, 0))).json()) as any;
    expect(plain.appointment.reason).toBeNull();
  });
});
