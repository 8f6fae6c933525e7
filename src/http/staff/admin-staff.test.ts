import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';

/** Admin pages for staff members and the audit log, over HTTP. */
const PASSWORD = 'purple tractor sings softly';

describe('managing staff members', () => {
  let app: TestApp;
  let admin: TestBrowser;
  const signIn = async (email: string, password = PASSWORD) => {
    const b = testBrowser(app.http);
    await b.text(await b.get('/staff/login'));
    const res = await b.post('/staff/login', { email, password });
    expect(res.status).toBe(303);
    return b;
  };
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await app.deps.staff.accounts.create(systemActor, {
      email: 'ada@clinic.example',
      name: 'Ada',
      role: 'admin',
      password: PASSWORD,
    });
    admin = await signIn('ada@clinic.example');
  });
  afterAll(() => app.destroy());

  it('answers 404 for an unknown account id, changing nothing and auditing nothing', async () => {
    await admin.text(await admin.get('/staff/admin/staff'));
    const before = (await app.deps.audit.verify()).rows;
    for (const [action, fields] of [
      ['role', { role: 'reception' }],
      ['deactivate', {}],
      ['reset-mfa', {}],
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
    await app.deps.staff.accounts.create(systemActor, {
      email: 'ada@clinic.example',
      name: 'Ada',
      role: 'admin',
      password: PASSWORD,
    });
    const patient = (first: string) =>
      app.deps.patients.create(systemActor, {
        firstName: first,
        lastName: 'Tester',
        dateOfBirth: '1980-01-01',
      });
    ids = { p1: (await patient('Uno')).id, p2: '' };
    app.clock.set('2026-03-04T10:00:00Z');
    ids.p2 = (await patient('Dos')).id;
    admin = testBrowser(app.http);
    await admin.signIn('ada@clinic.example', PASSWORD);
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
