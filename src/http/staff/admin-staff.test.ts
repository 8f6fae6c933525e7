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
