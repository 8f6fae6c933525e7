import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { adminPerSuite } from '../../testing/admin-signed-in.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';
import { STAFF_PASSWORD as PASSWORD, signedInStaff, staffMember } from '../../testing/signed-in.ts';
import { enrolTotp, signedInWithCode, totpCode } from '../../testing/totp.ts';

/** Admin pages for staff members and the audit log, over HTTP. */

describe('managing staff members', () => {
  const signedIn = adminPerSuite();

  it('answers 404 for an unknown account id, changing nothing and auditing nothing', async () => {
    const { app, admin } = signedIn();
    await admin.text(await admin.get('/staff/admin/staff'));
    const before = (await app.deps.audit.verify()).rows;
    for (const [action, fields] of [
      ['role', { role: 'reception' }],
      ['deactivate', {}],
      ['reset-mfa', {}],
      ['invitation-link', {}],
      ['revoke-calendar-feed', {}],
    ] as const) {
      const res = await admin.post(`/staff/admin/staff/no-such-account/${action}`, fields);
      expect({ action, status: res.status }).toEqual({ action, status: 404 });
    }
    expect((await app.deps.audit.verify()).rows).toBe(before);
  });
});

describe('the audit page', () => {
  let app: TestApp;
  let admin: TestBrowser;
  let ids: { p1: string; p2: string };
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' }, now: '2026-03-02T09:00:00Z' });
    const patient = (first: string) =>
      app.deps.patients.create(systemActor, {
        firstName: first,
        lastName: 'Tester',
        dateOfBirth: '1980-01-01',
      });
    ids = { p1: (await patient('Uno')).id, p2: '' };
    app.clock.set('2026-03-04T10:00:00Z');
    ids.p2 = (await patient('Dos')).id;
    ({ browser: admin } = await signedInStaff(app, 'admin'));
  });
  afterAll(() => app.destroy());

  it('filters by patient and by date', async () => {
    const byPatient = await admin.text(await admin.get(`/staff/admin/audit?patient=${ids.p1}`));
    expect(byPatient).toContain(`<td>${ids.p1}</td>`);
    expect(byPatient).not.toContain(ids.p2);

    const byDay = await admin.text(await admin.get('/staff/admin/audit?from=2026-03-04&to=2026-03-04'));
    expect(byDay).toContain(`<td>${ids.p2}</td>`);
    expect(byDay).not.toContain(ids.p1);
    const before = await admin.text(await admin.get('/staff/admin/audit?to=2026-03-03'));
    expect(before).toContain(`<td>${ids.p1}</td>`);
    expect(before).not.toContain(ids.p2);
  });

  it('verifies the chain only when asked, then shows the head to record', async () => {
    const page = await admin.text(await admin.get('/staff/admin/audit'));
    expect(page).not.toContain('The log is intact');
    expect(page).toContain('Verify the chain');
    const verified = await admin.text(await admin.get('/staff/admin/audit?verify=1'));
    const result = await app.deps.audit.verify();
    expect(verified).toContain(`The log is intact: ${result.rows} entries`);
    expect(verified).toContain(`${result.headId}:${result.head}`);
  });
});

describe('an admin helps a member who lost their phone, or who left (MFA required)', () => {
  let app: TestApp;
  const secrets = new Map<string, string>();
  /** A member with an authenticator app, created through the services. */
  async function member(email: string, role: 'admin' | 'reception') {
    const { account } = await staffMember(app, role, { email, name: email });
    secrets.set(email, await enrolTotp(app, account.id));
    return account;
  }
  /** Password, then the app's code: a full session. */
  const signIn = (email: string, ip: string) =>
    signedInWithCode(app, email, secrets.get(email)!, { browser: { ip } });
  beforeAll(async () => {
    app = await createTestApp();
    await member('ada@clinic.example', 'admin');
  });
  afterAll(() => app.destroy());

  it('resetting a lost second factor ends the member’s sessions; they set up a new one at next sign-in', async () => {
    const bo = await member('bo@clinic.example', 'reception');
    const lostPhone = await signIn('bo@clinic.example', '10.0.0.2');
    const admin = await signIn('ada@clinic.example', '10.0.0.1');
    await admin.text(await admin.get('/staff/admin/staff'));
    const reset = await admin.post(`/staff/admin/staff/${bo.id}/reset-mfa`);
    expect(reset.status).toBe(303);
    expect((await lostPhone.get('/staff')).headers.get('location')).toBe(
      '/staff/login?next=%2Fstaff&ended=1',
    );

    const fresh = testBrowser(app.http, { ip: '10.0.0.3' });
    const step = await fresh.signIn('bo@clinic.example', PASSWORD);
    expect(step.headers.get('location')).toBe('/staff/setup/totp?next=%2Fstaff');
    expect((await fresh.get('/staff')).headers.get('location')).toBe('/staff/setup/totp');
    // No code page: the old app's codes are no good any more.
    expect((await fresh.get('/staff/login/code')).headers.get('location')).toBe('/staff/setup/totp');
    const page = await fresh.text(await fresh.get('/staff/setup/totp'));
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(page)![1]!.replaceAll(' ', '');
    expect(secret).not.toBe(secrets.get('bo@clinic.example'));
    app.clock.advance(30_000);
    const done = await fresh.text(
      await fresh.post('/staff/setup/totp', { code: totpCode(secret, app.clock.now()) }),
    );
    expect(done).toContain('Save your recovery codes');
    expect((await fresh.get('/staff')).status).toBe(200);
    const actions = (await app.deps.audit.list({ limit: 30 })).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['staff.mfa-reset', 'staff.mfa-begin', 'staff.mfa-enroll']),
    );
  });

  it('deactivating a member ends the session they have open: their next request goes to sign-in', async () => {
    const cy = await member('cy@clinic.example', 'reception');
    const desk = await signIn('cy@clinic.example', '10.0.0.4');
    expect((await desk.get('/staff/calendar')).status).toBe(200);
    const admin = await signIn('ada@clinic.example', '10.0.0.5');
    await admin.text(await admin.get('/staff/admin/staff'));
    expect((await admin.post(`/staff/admin/staff/${cy.id}/deactivate`)).status).toBe(303);

    const page = await desk.get('/staff/calendar');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fcalendar&ended=1');
    const htmx = await desk.get('/staff/patients/search?q=pa', {
      'hx-request': 'true',
      'hx-current-url': 'http://localhost/staff/calendar',
    });
    expect(htmx.headers.get('hx-redirect')).toBe('/staff/login?next=%2Fstaff%2Fcalendar');
    expect((await desk.signIn('cy@clinic.example', PASSWORD)).status).toBe(401);
  });
});
