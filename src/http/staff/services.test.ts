import { describe, expect, it } from 'vitest';
import { adminPerTest, expectAdminsOnly } from '../../testing/admin-signed-in.ts';

/** Each test on its own app, with an admin signed in. */
describe('services', () => {
  const signedIn = adminPerTest();
  const physio = {
    name: 'Physiotherapy, first visit',
    description: 'Assessment and first treatment.',
    durationMin: '45',
    bufferBeforeMin: '0',
    bufferAfterMin: '15',
    onlineBookable: 'on',
    newPatientsAllowed: 'on',
  };

  it('admins add, edit and archive services; the public API lists what is bookable online', async () => {
    const { app, admin } = signedIn();
    await admin.text(await admin.get('/staff/settings/services'));
    const bad = await admin.post('/staff/settings/services', { ...physio, durationMin: '2' });
    expect(bad.status).toBe(422);
    expect(await admin.text(bad)).toContain('Duration: at least 5 minutes.');
    expect(await app.deps.services.list()).toEqual([]);

    const created = await admin.post('/staff/settings/services', physio);
    expect(created.status).toBe(303);
    const path = created.headers.get('location')!;
    const id = path.split('/').at(-1)!;
    expect(await app.deps.services.get(id)).toMatchObject({
      name: physio.name,
      durationMin: 45,
      bufferAfterMin: 15,
      onlineBookable: true,
      requiresApproval: false,
      active: true,
    });
    await admin.text(await admin.get('/staff/settings/services'));
    await admin.post('/staff/settings/services', {
      name: 'Staff-only massage',
      description: '',
      durationMin: '30',
      bufferBeforeMin: '0',
      bufferAfterMin: '0',
    });

    const api = await (await app.http.request('/api/v1/services')).json();
    expect(api).toEqual({
      services: [
        {
          id,
          name: physio.name,
          description: physio.description,
          durationMin: 45,
          newPatientsAllowed: true,
          requiresApproval: false,
          askReason: false,
        },
      ],
    });

    await admin.text(await admin.get(path));
    expect((await admin.post(path, { ...physio, durationMin: '60', requiresApproval: 'on' })).status).toBe(
      303,
    );
    expect(await app.deps.services.get(id)).toMatchObject({ durationMin: 60, requiresApproval: true });
    await admin.text(await admin.get(path));
    expect((await admin.post(`${path}/archive`)).status).toBe(303);
    expect((await (await app.http.request('/api/v1/services')).json()).services).toEqual([]);
    const actions = (await app.deps.audit.list({ limit: 10 })).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['service.create', 'service.update', 'service.archive']));
  });

  it('sets a service’s own reminder offsets, or the clinic’s when empty', async () => {
    const { app, admin } = signedIn();
    await admin.text(await admin.get('/staff/settings/services'));
    const bad = await admin.post('/staff/settings/services', {
      ...physio,
      name: 'Massage',
      reminderHours: '48, 0',
    });
    expect(bad.status).toBe(422);
    expect(await admin.text(bad)).toContain('Reminders: 1 hour or more.');
    const created = await admin.post('/staff/settings/services', {
      ...physio,
      name: 'Massage',
      reminderHours: '48, 3',
    });
    const path = created.headers.get('location')!;
    const id = path.split('/').at(-1)!;
    expect((await app.deps.services.get(id)).reminderHours).toEqual([48, 3]);
    expect(await admin.text(await admin.get(path))).toContain('value="48, 3"');
    await admin.post(path, { ...physio, name: 'Massage', reminderHours: '' });
    expect((await app.deps.services.get(id)).reminderHours).toBeNull();
  });

  it('is for admins only', async () => {
    await expectAdminsOnly(signedIn().app, ['/staff/settings/services'], {
      path: '/staff/settings/services',
      fields: physio,
    });
  });
});
