import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';
import { testJob } from '../../testing/jobs.ts';
import { signedInAs, signedInStaff, staffMember } from '../../testing/signed-in.ts';

/** Each test on its own app, with an admin signed in. */
describe('the admin pages', () => {
  let app: TestApp;
  let admin: TestBrowser;
  let adminId: string;
  beforeEach(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const ada = await signedInStaff(app, 'admin', { email: 'ada@clinic.example', name: 'Ada' });
    admin = ada.browser;
    adminId = ada.account.id;
  });
  afterEach(() => app.destroy());

  /** A dead job whose unique key a waiting job holds: it cannot be retried while that one waits. */
  async function deadJobWithItsKeyTaken(): Promise<number> {
    const { queue } = app.deps.jobs;
    const { id } = await app.db.tx((ctx) =>
      queue.enqueue(ctx, testJob('mail.send-code'), { n: 3 }, { maxAttempts: 1, uniqueKey: 'code:p3' }),
    );
    const claimed = await queue.claim('w', 10, 1000);
    for (const j of claimed) await queue.fail('w', j.id, 'SMTP 550', null);
    await app.db.tx((ctx) =>
      queue.enqueue(ctx, testJob('mail.send-code'), { n: 4 }, { uniqueKey: 'code:p3' }),
    );
    return id;
  }

  it('invites a member who sets a password through the link, then changes role, deactivates', async () => {
    await admin.text(await admin.get('/staff/admin/staff'));
    const invited = await admin.post('/staff/admin/staff', {
      name: 'Bo Reception',
      email: 'bo@clinic.example',
      role: 'reception',
    });
    expect(invited.status).toBe(201);
    expect(await admin.text(invited)).toContain('We are emailing bo@clinic.example a link');
    // The email goes through the log driver here: the admin makes a link to hand over instead.
    const boId = (await app.deps.staff.accounts.list()).find((a) => a.email === 'bo@clinic.example')!.id;
    const handOver = await admin.post(`/staff/admin/staff/${boId}/invitation-link`);
    const link = /(\/staff\/set-password\?token=[\w-]{43})/.exec(await admin.text(handOver))![1]!;
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
    const boDesk = await signedInAs(app, 'bo@clinic.example', { password: 'bo chooses a long password' });
    expect((await boDesk.get('/staff/admin/jobs')).status).toBe(403);

    await admin.text(await admin.get('/staff/admin/staff'));
    expect((await admin.post(`/staff/admin/staff/${boId}/role`, { role: 'practitioner' })).status).toBe(303);
    expect((await app.deps.staff.accounts.get(boId)).role).toBe('practitioner');
    expect((await boDesk.get('/staff')).status).toBe(303); // a role change ends their sessions

    expect((await admin.post(`/staff/admin/staff/${adminId}/deactivate`)).status).toBe(404); // not yourself
    expect((await admin.post(`/staff/admin/staff/${boId}/deactivate`)).status).toBe(303);
    expect((await bo.signIn('bo@clinic.example', 'bo chooses a long password')).status).toBe(401);
    const actions = (await app.deps.audit.list({ actorId: adminId })).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['staff.create', 'staff.issue-link', 'staff.change-role', 'staff.deactivate']),
    );
  });

  it('shows the job queue with a backlog flag, retries a dead job and cancels a queued one', async () => {
    const { queue, admin: jobs } = app.deps.jobs;
    const [deadId, queuedId] = await app.db.tx(async (ctx) => [
      (await queue.enqueue(ctx, testJob('mail.send-code'), { n: 1 }, { maxAttempts: 1, priority: -100 })).id,
      (await queue.enqueue(ctx, testJob('reminders.send'), { n: 2 })).id,
    ]);
    const [claimed] = await queue.claim('w', 1, 1000);
    expect(claimed!.id).toBe(deadId);
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
    const audited = (await app.deps.audit.list({ actorId: adminId, limit: 20 })).map((r) => [
      r.action,
      r.entityId,
    ]);
    expect(audited).toEqual(
      expect.arrayContaining([
        ['jobs.retry', String(deadId)],
        ['jobs.cancel', String(queuedId)],
      ]),
    );
  });

  it('refuses to retry a dead job whose unique key a waiting job holds, with a clear 409', async () => {
    const { admin: jobs } = app.deps.jobs;
    const deadId = await deadJobWithItsKeyTaken();
    await admin.text(await admin.get('/staff/admin/jobs'));
    const res = await admin.post(`/staff/admin/jobs/${deadId}/retry`);
    expect(res.status).toBe(409);
    expect(await admin.text(res)).toContain('a job with the same key is already waiting');
    expect((await jobs.get(deadId))?.status).toBe('dead');
    const audited = await app.deps.audit.list({ actorId: adminId, limit: 50 });
    expect(audited.filter((r) => r.action === 'jobs.retry' && r.entityId === String(deadId))).toEqual([]);
  });

  it('filters jobs by name, shows clinic-zone times and a job’s detail, retries all dead; each change audited', async () => {
    await app.deps.clinic.update(systemActor, { ...(await app.deps.clinic.get()), timeZone: 'Europe/Paris' });
    await deadJobWithItsKeyTaken();
    const { queue, admin: jobs } = app.deps.jobs;
    const nineUtc = new Date('2026-03-02T09:00:00Z');
    const { id } = await app.db.tx((ctx) =>
      queue.enqueue(
        ctx,
        testJob('test.detail'),
        { patientId: 'p-123' },
        { maxAttempts: 1, uniqueKey: 'detail:1', runAt: nineUtc, priority: -100 },
      ),
    );
    const [claimed] = await queue.claim('w', 1, 1000);
    expect(claimed!.id).toBe(id);
    await queue.fail('w', id, 'provider said no', null);

    const list = await admin.text(await admin.get('/staff/admin/jobs?name=test.detail'));
    expect(list).toContain(`href="/staff/admin/jobs/${id}"`);
    expect(list).not.toContain('reminders.send');
    expect(list).toContain('<td>2026-03-02 10:00:00</td>'); // 09:00Z in Paris
    expect(list).not.toContain('2026-03-02 09:00:00');
    expect(list).toContain('value="test.detail"');
    expect(list).toContain('action="/staff/admin/jobs/retry-dead"');

    const detail = await admin.text(await admin.get(`/staff/admin/jobs/${id}`));
    expect(detail).toContain('test.detail');
    expect(detail).toContain('p-123');
    expect(detail).toContain('detail:1');
    expect(detail).toContain('provider said no');
    expect(detail).toContain('1/1');
    expect(detail).toContain('2026-03-02 10:00:00');
    expect(detail).toContain(`action="/staff/admin/jobs/${id}/retry"`);
    expect((await admin.get('/staff/admin/jobs/999999')).status).toBe(404);
    expect((await admin.get('/staff/admin/jobs/abc')).status).toBe(404);

    const dead = (await jobs.stats()).counts.dead;
    expect(dead).toBeGreaterThan(1);
    const all = await admin.post('/staff/admin/jobs/retry-dead');
    expect(all.status).toBe(303);
    const back = all.headers.get('location')!;
    expect(back).toMatch(/^\/staff\/admin\/jobs\?retried=\d+&skipped=\d+$/);
    const page = await admin.text(await admin.get(back));
    expect(page).toMatch(/\d+ dead jobs? queued again/);
    expect((await jobs.get(id))?.status).toBe('queued');

    expect(await admin.text(await admin.get(`/staff/admin/jobs/${id}`))).toContain('name="back" value="job"');
    const cancelled = await admin.post(`/staff/admin/jobs/${id}/cancel`, { back: 'job' });
    expect([cancelled.status, cancelled.headers.get('location')]).toEqual([303, `/staff/admin/jobs/${id}`]);
    await admin.text(await admin.get('/staff/admin/jobs'));
    const again = await admin.post(`/staff/admin/jobs/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(await admin.text(again)).toContain('is not waiting');

    const rows = await app.deps.audit.list({ actorId: adminId, limit: 50 });
    const about = (action: string) => rows.filter((r) => r.action === action);
    expect(about('jobs.cancel').filter((r) => r.entityId === String(id))).toHaveLength(1); // not the refused one
    expect(about('jobs.retry-all-dead')).toHaveLength(1);
    const { retried, skipped } = about('jobs.retry-all-dead')[0]!.details as Record<string, number>;
    expect([retried! + skipped!, skipped]).toEqual([dead, 1]); // code:p3's key is still taken
  });

  it('a large backlog shows on the jobs page, and /readyz stays 200 (a backlog is no reason to leave the pool)', async () => {
    const at = new Date(app.clock.now().getTime() - 20 * 60_000);
    for (let i = 0; i < 20_000; i += 1000) {
      await app.db.tx(({ db, t }) =>
        db.insert(t.jobs).values(
          Array.from({ length: 1000 }, (_, k) => ({
            name: 'test.backlog',
            payload: { n: i + k },
            status: 'queued' as const,
            runAt: at,
            maxAttempts: 5,
            createdAt: at,
          })),
        ),
      );
    }
    const stats = await app.deps.jobs.admin.stats();
    expect(stats.counts.queued).toBeGreaterThanOrEqual(20_000);
    expect(stats.backlog).toBe(true);
    expect(await admin.text(await admin.get('/staff/admin/jobs?name=test.backlog'))).toContain(
      'Backlog: due jobs',
    );
    const ready = await app.http.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('shows the audit log, filtered by staff member, and that it is intact', async () => {
    // Bo sets his password through a link: his own action, not Ada's.
    const { account: bo } = await staffMember(app, 'reception');
    const link = await app.deps.staff.accounts.issueSetPasswordLink(bo.id);
    await app.deps.staff.accounts.setPasswordWithLink(systemActor, link, 'bo chooses a long password');
    expect((await app.deps.audit.list({ limit: 5 })).map((r) => r.action)).toContain('staff.set-password');
    const page = await admin.text(await admin.get(`/staff/admin/audit?staff=${adminId}&verify=1`));
    expect(page).toContain('The log is intact');
    expect(page).toContain('staff.sign-in');
    expect(page).not.toContain('staff.set-password'); // done by Bo, not Ada
    const bad = await admin.get('/staff/admin/audit?from=yesterday');
    expect(bad.status).toBe(200);
  });
});
