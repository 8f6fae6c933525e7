import { describe, expect, it } from 'vitest';
import { defaultClinicSettings } from '../../domain/clinic/index.ts';
import { adminPerTest, expectAdminsOnly } from '../../testing/admin-signed-in.ts';

/** Each test on its own app, with an admin signed in. */
describe('clinic settings page', () => {
  const signedIn = adminPerTest();
  const valid = {
    name: 'Rue Cler Physio',
    timeZone: 'Europe/Paris',
    locale: 'fr-FR',
    address: '12 rue Cler, Paris',
    phone: '+33 1 23 45 67 89',
    minNoticeMinutes: '60',
    horizonDays: '120',
    cancellationWindowHours: '48',
    selfBooking: 'on',
    selfRegistration: 'on',
    reminderHours: '48, 3',
    quietStart: '22:00',
    quietEnd: '07:30',
  };

  it('starts from the defaults and saves a valid form, audited', async () => {
    const { app, admin } = signedIn();
    expect(await app.deps.clinic.get()).toEqual(defaultClinicSettings);
    const page = await admin.text(await admin.get('/staff/settings'));
    expect(page).toContain('<option value="Europe/Paris">Europe/Paris</option>');
    const saved = await admin.post('/staff/settings', valid);
    expect(saved.headers.get('location')).toBe('/staff/settings?notice=saved');
    const { quietStart: _s, quietEnd: _e, ...fields } = valid;
    expect(await app.deps.clinic.get()).toEqual({
      ...fields,
      smsQuietHours: { start: '22:00', end: '07:30' },
      minNoticeMinutes: 60,
      horizonDays: 120,
      cancellationWindowHours: 48,
      selfBooking: true,
      selfRegistration: true,
      reminderHours: [48, 3],
      // Not on the form it posts: the defaults.
      openBookingsPerPatient: 5,
      dependentsPerGuardian: 10,
      retentionYears: 10,
      // An unticked box: off.
      notesOfSeenPatientsOnly: false,
    });
    expect(await admin.text(await admin.get('/staff/settings?notice=saved'))).toContain('Settings saved.');
    expect((await app.deps.audit.list({ limit: 1 }))[0]?.action).toBe('clinic.update-settings');
  });

  it('refuses bad input with messages and changes nothing', async () => {
    const { app, admin } = signedIn();
    const before = await app.deps.clinic.get();
    await admin.text(await admin.get('/staff/settings'));
    const bad = await admin.post('/staff/settings', {
      ...valid,
      timeZone: 'Mars/Olympus',
      horizonDays: '0',
      selfBooking: '',
    });
    expect(bad.status).toBe(422);
    const html = await admin.text(bad);
    expect(html).toContain('Choose a time zone such as Europe/Paris');
    expect(html).toContain('value="12 rue Cler, Paris"'); // what was typed stays in the form
    expect(await app.deps.clinic.get()).toEqual(before);
  });

  it('sets SMS quiet hours, or none, and refuses a half-filled pair', async () => {
    const { app, admin } = signedIn();
    await admin.text(await admin.get('/staff/settings'));
    const half = await admin.post('/staff/settings', { ...valid, quietEnd: '' });
    expect(half.status).toBe(422);
    expect(await admin.text(half)).toContain('Use a time such as 08:00.');
    await admin.post('/staff/settings', { ...valid, quietStart: '', quietEnd: '' });
    expect((await app.deps.clinic.get()).smsQuietHours).toBeNull();
    await admin.text(await admin.get('/staff/settings'));
    await admin.post('/staff/settings', { ...valid, quietStart: '20:00', quietEnd: '09:00' });
    expect((await app.deps.clinic.get()).smsQuietHours).toEqual({ start: '20:00', end: '09:00' });
  });

  it('is for admins only', async () => {
    const post = await expectAdminsOnly(signedIn().app, ['/staff/settings'], {
      path: '/staff/settings',
      fields: valid,
    });
    expect(await post!.text()).toContain('Your role does not allow this');
  });
});
