import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';

const PASSWORD = 'purple tractor sings softly';

describe('the admin pages', () => {
  let app: TestApp;
  let admin: TestBrowser;
  let adminId: string;
  const signIn = async (email: string, password = PASSWORD) => {
    const b = testBrowser(app.http);
    await b.text(await b.get('/staff/login'));
    const res = await b.post('/staff/login', { email, password });
    expect(res.status).toBe(303);
    return b;
  };
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    adminId = (
      await app.deps.staff.accounts.create(systemActor, {
        email: 'ada@clinic.example',
        name: 'Ada',
        role: 'admin',
        password: PASSWORD,
      })
    ).id;
    admin = await signIn('ada@clinic.example');
  });
  afterAll(() => app.destroy());

  it('invites a member who sets a password through the link, then changes role, deactivates', async () => {
    await admin.text(await admin.get('/staff/admin/staff'));
    const invited = await admin.post('/staff/admin/staff', {
      name: 'Bo Reception',
      email: 'bo@clinic.example',
      role: 'reception',
    });
    expect(invited.status).toBe(201);
    const link = /(\/staff\/set-password\?token=[\w-]{43})/.exec(await admin.text(invited))![1]!;
    const dupe = await admin.post('/staff/admin/staff', {
      name: 'Bo again',
      email: 'BO@clinic.example',
      role: 'reception',
    });
    expect(dupe.status).toBe(409);
    await admin.text(dupe);

    const bo = testBrowser(app.http);
    await bo.text(await bo.get(link));
    expect((await bo.post(link, { password: 'bo chooses a long password' })).status).toBe(200);
    const boDesk = await signIn('bo@clinic.example', 'bo chooses a long password');
    expect((await boDesk.get('/staff/admin/jobs')).status).toBe(403);

    const boId = (await app.deps.staff.accounts.list()).find((a) => a.email === 'bo@clinic.example')!.id;
    await admin.text(await admin.get('/staff/admin/staff'));
    expect((await admin.post(`/staff/admin/staff/${boId}/role`, { role: 'practitioner' })).status).toBe(303);
    expect((await app.deps.staff.accounts.get(boId)).role).toBe('practitioner');
    expect((await boDesk.get('/staff')).status).toBe(303); // a role change ends their sessions

    expect((await admin.post(`/staff/admin/staff/${adminId}/deactivate`)).status).toBe(404); // not yourself
    expect((await admin.post(`/staff/admin/staff/${boId}/deactivate`)).status).toBe(303);
    await bo.text(await bo.get('/staff/login'));
    expect(
      (await bo.post('/staff/login', { email: 'bo@clinic.example', password: 'bo chooses a long password' }))
        .status,
    ).toBe(401);
    const actions = (await app.deps.audit.list({ actorId: adminId })).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['staff.create', 'staff.change-role', 'staff.deactivate']),
    );
  });

  it('shows the job queue with a backlog flag, retries a dead job and cancels a queued one', async () => {
    const { queue, admin: jobs } = app.deps.jobs;
    const [deadId, queuedId] = await app.db.tx(async (ctx) => [
      (await queue.enqueue(ctx, 'mail.send-code', { n: 1 }, { maxAttempts: 1 })).id,
      (await queue.enqueue(ctx, 'reminders.send', { n: 2 })).id,
    ]);
    const [claimed] = await queue.claim('w', 1, 1000);
    await queue.fail('w', claimed!.id, 'SMTP 550 mailbox unavailable', null);
    app.clock.advance(10 * 60_000);
    const page = await admin.text(await admin.get('/staff/admin/jobs'));
    expect(page).toContain('Backlog: due jobs have waited 600 seconds');
    expect(page).toContain('SMTP 550 mailbox unavailable');
    expect(await admin.text(await admin.get('/staff/admin/jobs?status=dead'))).not.toContain(
      'reminders.send',
    );
    expect((await admin.post(`/staff/admin/jobs/${deadId}/retry`)).status).toBe(303);
    await admin.text(await admin.get('/staff/admin/jobs'));
    expect((await admin.post(`/staff/admin/jobs/${queuedId}/cancel`)).status).toBe(303);
    expect((await jobs.get(deadId!))?.status).toBe('queued');
    expect((await jobs.get(queuedId!))?.status).toBe('cancelled');
  });

  it('refuses to retry a dead job whose unique key a waiting job holds, with a clear 409', async () => {
    const { queue, admin: jobs } = app.deps.jobs;
    const { id: deadId } = await app.db.tx((ctx) =>
      queue.enqueue(ctx, 'mail.send-code', { n: 3 }, { maxAttempts: 1, uniqueKey: 'code:p3' }),
    );
    const claimed = await queue.claim('w', 10, 1000);
    for (const j of claimed) await queue.fail('w', j.id, 'SMTP 550', null);
    await app.db.tx((ctx) => queue.enqueue(ctx, 'mail.send-code', { n: 4 }, { uniqueKey: 'code:p3' }));
    await admin.text(await admin.get('/staff/admin/jobs'));
    const res = await admin.post(`/staff/admin/jobs/${deadId}/retry`);
    expect(res.status).toBe(409);
    expect(await admin.text(res)).toContain('a job with the same key is already waiting');
    expect((await jobs.get(deadId))?.status).toBe('dead');
  });

  it('shows the audit log, filtered by staff member, and that it is intact', async () => {
    const page = await admin.text(await admin.get(`/staff/admin/audit?staff=${adminId}&verify=1`));
    expect(page).toContain('The log is intact');
    expect(page).toContain('staff.sign-in');
    expect(page).not.toContain('staff.set-password'); // done by Bo, not Ada
    const bad = await admin.get('/staff/admin/audit?from=yesterday');
    expect(bad.status).toBe(200);
  });
});
