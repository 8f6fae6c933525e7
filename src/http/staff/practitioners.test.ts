import { beforeAll, describe, expect, it } from 'vitest';
import { parseDayHours } from '../../domain/scheduling/index.ts';
import { adminPerSuite } from '../../testing/admin-signed-in.ts';
import { addService } from '../../testing/factories.ts';
import { staffMember } from '../../testing/signed-in.ts';

describe('weekly hours as staff type them', () => {
  it.each([
    ['', []],
    ['09:00-12:00', [{ start: '09:00', end: '12:00' }]],
    [
      '13:00 - 17:30, 08:30-12:00',
      [
        { start: '08:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
    ],
  ])('reads %j', (text, expected) => {
    expect(parseDayHours(text)).toEqual(expected);
  });
  it.each([
    ['9-12', /not a time range/],
    ['12:00-09:00', /ends before it starts/],
    ['09:00-12:00, 11:00-13:00', /overlap/],
    ['25:00-26:00', /not a time range/],
  ])('refuses %j', (text, message) => {
    expect(parseDayHours(text)).toMatch(message);
  });
});

describe('practitioners', () => {
  const signedIn = adminPerSuite();
  let cyId: string;
  let serviceId: string;
  beforeAll(async () => {
    const { app } = signedIn();
    cyId = (await staffMember(app, 'practitioner', { email: 'cy@clinic.example', name: 'Cy Practitioner' }))
      .account.id;
    await staffMember(app, 'reception', { email: 'bo@clinic.example', name: 'Bo Reception' });
    serviceId = (
      await addService(app, { name: 'Physio', description: '', durationMin: 45, bufferAfterMin: 15 })
    ).id;
  });

  it('lists only practitioners; saves profile, services and hours together; the API shows the bookable ones', async () => {
    const { app, admin } = signedIn();
    const list = await admin.text(await admin.get('/staff/settings/practitioners'));
    expect(list).toContain('Cy Practitioner');
    expect(list).not.toContain('Bo Reception');
    expect((await (await app.http.request('/api/v1/practitioners')).json()).practitioners).toEqual([]);

    const path = `/staff/settings/practitioners/${cyId}`;
    await admin.text(await admin.get(path));
    const form = {
      displayName: 'Cy Martin',
      title: 'Physiotherapist',
      bio: 'Sports injuries.',
      colour: '#2a9d8f',
      bookableOnline: 'on',
      serviceIds: serviceId,
      'hours.1': '09:00-12:00, 13:00-17:00',
      'hours.3': '09:00-13:00',
    };
    const bad = await admin.post(path, { ...form, 'hours.2': '12:00-09:00' });
    expect(bad.status).toBe(422);
    expect(await admin.text(bad)).toContain('ends before it starts');
    expect((await app.deps.practitioners.get(cyId)).profile).toBeNull(); // nothing saved

    expect((await admin.post(path, form)).status).toBe(303);
    const saved = await app.deps.practitioners.get(cyId);
    expect(saved.profile).toMatchObject({
      displayName: 'Cy Martin',
      colour: '#2a9d8f',
      bookableOnline: true,
    });
    expect(saved.serviceIds).toEqual([serviceId]);
    expect(saved.weekly[1]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(saved.weekly[2]).toEqual([]);
    expect(saved.weekly[3]).toEqual([{ start: '09:00', end: '13:00' }]);
    expect(await admin.text(await admin.get(path))).toContain('value="09:00-12:00, 13:00-17:00"');

    const api = await (await app.http.request(`/api/v1/practitioners?serviceId=${serviceId}`)).json();
    expect(api.practitioners).toEqual([
      {
        id: cyId,
        displayName: 'Cy Martin',
        title: 'Physiotherapist',
        bio: 'Sports injuries.',
        colour: '#2a9d8f',
        serviceIds: [serviceId],
      },
    ]);
    expect(
      (await (await app.http.request('/api/v1/practitioners?serviceId=other')).json()).practitioners,
    ).toEqual([]);
    expect((await app.deps.audit.list({ limit: 1 }))[0]?.action).toBe('practitioner.update');
  });

  it('answers 404 for a staff member who is not a practitioner', async () => {
    const { app, admin } = signedIn();
    const bo = (await app.deps.staff.accounts.findActiveByEmail('bo@clinic.example'))!;
    expect((await admin.get(`/staff/settings/practitioners/${bo.id}`)).status).toBe(404);
  });
});
