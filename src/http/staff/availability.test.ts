import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/* Admins change availability from the settings page; slot search and booking follow at once. */
describe('time off, closures, extra hours and rooms', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let admin: TestBrowser;
  const base = '/staff/settings/availability';
  const day = async (d: string) => {
    const res = await app.http.request(
      `/api/v1/slots?serviceId=${clinic.serviceId}&practitionerId=${clinic.practitionerIds[0]}&from=${d}&to=${d}`,
    );
    return ((await res.json()) as { slots: { start: string }[] }).slots.map((s) => s.start);
  };
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app);
    admin = await signedInAs(app, 'ada@clinic.example');
  });
  afterAll(() => app.destroy());

  it('takes time off, closures and extra hours into slot search', async () => {
    await admin.text(await admin.get(base));
    const p1 = clinic.practitionerIds[0]!;
    expect(await day('2026-03-10')).toContain('2026-03-10T08:00:00.000Z');
    expect(
      (
        await admin.post(`${base}/time-off`, {
          practitionerId: p1,
          fromDate: '2026-03-10',
          fromTime: '09:00',
          toDate: '2026-03-10',
          toTime: '12:00',
          reason: 'Training',
        })
      ).status,
    ).toBe(303);
    const tuesday = await day('2026-03-10');
    expect(tuesday).not.toContain('2026-03-10T08:00:00.000Z');
    expect(tuesday[0]).toBe('2026-03-10T12:00:00.000Z'); // 13:00 Paris, after lunch

    await admin.text(await admin.get(base));
    expect(
      (await admin.post(`${base}/closures`, { date: '2026-03-11', reason: 'Public holiday' })).status,
    ).toBe(303);
    expect(await day('2026-03-11')).toEqual([]);
    await admin.text(await admin.get(base));
    expect(
      (
        await admin.post(`${base}/extra-hours`, {
          practitionerId: p1,
          date: '2026-03-14',
          start: '10:00',
          end: '11:00',
        })
      ).status,
    ).toBe(303);
    expect(await day('2026-03-14')).toHaveLength(3);

    const page = await admin.text(await admin.get(base));
    expect(page).toContain('Training');
    expect(page).toContain('2026-03-11 — Public holiday');
    // Reopening the day brings its slots back.
    expect((await admin.post(`${base}/closures/2026-03-11/remove`)).status).toBe(303);
    expect((await day('2026-03-11')).length).toBeGreaterThan(0);
  });

  it('refuses time off that ends before it starts, with the reason, and writes nothing', async () => {
    await admin.text(await admin.get(base));
    const before = (await app.deps.availabilityAdmin.listTimeOff()).length;
    const res = await admin.post(`${base}/time-off`, {
      practitionerId: clinic.practitionerIds[1]!,
      fromDate: '2026-03-20',
      toDate: '2026-03-19',
    });
    expect(res.status).toBe(422);
    expect(await admin.text(res)).toContain('The time off must end after it starts.');
    expect((await app.deps.availabilityAdmin.listTimeOff()).length).toBe(before);
  });

  it('gives new bookings the default room', async () => {
    await admin.text(await admin.get(base));
    await admin.post(`${base}/rooms`, { name: 'Room 1' });
    await admin.text(await admin.get(base));
    await admin.post(`${base}/rooms`, { name: 'Gym', isDefault: 'on' });
    const rooms = await app.deps.availabilityAdmin.listRooms();
    expect(rooms.map((r) => [r.name, r.isDefault])).toEqual([
      ['Gym', true],
      ['Room 1', false],
    ]);
    const res = await admin.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[1],
      start: '2026-03-05T08:00:00.000Z',
      patientId: clinic.patientIds[0],
    });
    expect(((await res.json()) as { appointment: { roomId: string } }).appointment.roomId).toBe(rooms[0]!.id);
  });

  it('is for admins only', async () => {
    const desk = await signedInAs(app, 'bo@clinic.example');
    expect((await desk.get(base)).status).toBe(403);
  });
});
