import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, staffRoles } from '../../domain/accounts/index.ts';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testBrowser } from '../../testing/browser.ts';
import { seedClinic } from '../../testing/factories.ts';
import { signedInClinicStaff, signedInStaff } from '../../testing/signed-in.ts';

/** "Add a patient" on the Patients page: a patient who phones in is registered without booking. */
describe('adding a patient from the Patients page', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await seedClinic(app, { patients: 2 });
  });
  afterAll(() => app.destroy());

  const named = (name: string) => app.deps.patients.search(systemActor, name);
  const typed = { firstName: 'Amara', lastName: 'Okonkwo', dateOfBirth: '31/12/1980', email: '', phone: '' };

  it('adds the patient, audited as the booking panel does, opens their chart and finds them in search', async () => {
    const { desk } = await signedInClinicStaff(app, 'desk');
    const list = await desk.text(await desk.get('/staff/patients'));
    expect(list).toContain('href="/staff/patients/new"');
    const form = await desk.text(await desk.get('/staff/patients/new'));
    expect(form).toContain('<title>Add a patient');
    for (const name of ['firstName', 'lastName', 'dateOfBirth', 'email', 'phone']) {
      expect(form).toContain(`name="${name}"`);
    }

    const res = await desk.post('/staff/patients/new', { ...typed, phone: '06 12 34 56 78' });
    expect(res.status).toBe(303);
    const [made] = await named('Okonkwo');
    expect(made).toMatchObject({ firstName: 'Amara', lastName: 'Okonkwo', dateOfBirth: '1980-12-31' });
    expect(res.headers.get('location')).toBe(`/staff/patients/${made!.id}?notice=added`);
    const chart = await desk.text(await desk.get(res.headers.get('location')!));
    expect(chart).toContain('Amara Okonkwo');
    expect(chart).toContain('The patient was added.');
    // Written as the chart's other dates are, not as the ISO date kept.
    expect(chart).toMatch(/<dt>Date of birth<\/dt>\s*<dd>31 Dec 1980<\/dd>/);

    const found = await desk.text(await desk.get('/staff/patients?q=okonkwo', { 'hx-request': 'true' }));
    expect(found).toContain(`href="/staff/patients/${made!.id}"`);
    const audit = await app.deps.audit.list({ limit: 50 });
    expect(audit.filter((r) => r.action === 'patient.create' && r.entityId === made!.id)).toHaveLength(1);
  });

  it('makes one patient of a form sent twice (a double click), at once or after; sent again changed, another', async () => {
    const { desk } = await signedInClinicStaff(app, 'desk');
    const form = await desk.text(await desk.get('/staff/patients/new'));
    const submission = /name="submission" value="([^"]+)"/.exec(form)?.[1];
    expect(submission).toBeTruthy();
    const sent = { ...typed, firstName: 'Ines', lastName: 'Twice', submission: submission! };
    const both = await Promise.all([
      desk.post('/staff/patients/new', sent),
      desk.post('/staff/patients/new', sent),
    ]);
    const later = await desk.post('/staff/patients/new', sent);
    const made = await named('Twice');
    expect(made).toHaveLength(1);
    for (const res of [...both, later]) {
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/staff/patients/${made[0]!.id}?notice=added`);
    }
    // Back after adding, other details typed into the same form: that is another patient.
    expect((await desk.post('/staff/patients/new', { ...sent, firstName: 'Iris' })).status).toBe(303);
    const twice = await named('Twice');
    expect(twice.map((p) => p.firstName).sort()).toEqual(['Ines', 'Iris']);
    const audit = await app.deps.audit.list({ limit: 100 });
    const created = audit.filter(
      (r) => r.action === 'patient.create' && twice.some((p) => p.id === r.entityId),
    );
    expect(created).toHaveLength(2);
  });

  it('shows the form again with what was typed when the last name is missing (422), and creates nothing', async () => {
    const { desk } = await signedInClinicStaff(app, 'desk');
    await desk.get('/staff/patients/new');
    const res = await desk.post('/staff/patients/new', { ...typed, firstName: 'Zebedee', lastName: '' });
    expect(res.status).toBe(422);
    const page = await desk.text(res);
    expect(page).toContain('Enter the last name.');
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="Zebedee"');
    expect(await named('Zebedee')).toEqual([]);

    const badDate = await desk.post('/staff/patients/new', {
      ...typed,
      firstName: 'Zebedee',
      dateOfBirth: '31/13/1980',
    });
    expect(badDate.status).toBe(422);
    expect(await desk.text(badDate)).toContain('Enter the date of birth as day/month/year');
    expect(await named('Zebedee')).toEqual([]);
  });

  it('offers "Add a patient" to every role that may write patients, and only to them', async () => {
    for (const role of staffRoles) {
      const { browser } = await signedInStaff(app, role);
      const list = await browser.text(await browser.get('/staff/patients'));
      expect({ role, link: list.includes('href="/staff/patients/new"') }).toEqual({
        role,
        link: can(role, 'patients.write'),
      });
      expect({ role, status: (await browser.get('/staff/patients/new')).status }).toEqual({
        role,
        status: can(role, 'patients.write') ? 200 : 403,
      });
    }
  });

  it('refuses a visitor who is not signed in, and a post without the form’s CSRF token', async () => {
    const visitor = testBrowser(app.http);
    const page = await visitor.get('/staff/patients/new');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/staff\/login/);
    const posted = await visitor.post('/staff/patients/new', { ...typed, lastName: 'Visitor' });
    expect([303, 401, 403]).toContain(posted.status);
    expect(await named('Visitor')).toEqual([]);

    const { desk } = await signedInClinicStaff(app, 'desk');
    await desk.get('/staff/patients/new');
    const forged = await desk.post('/staff/patients/new', {
      ...typed,
      lastName: 'Forged',
      _csrf: 'x'.repeat(43),
    });
    expect(forged.status).toBe(403);
    expect(await named('Forged')).toEqual([]);
  });
});
