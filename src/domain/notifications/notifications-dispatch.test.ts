import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { signedInPatient } from '../../testing/signed-in.ts';
import { systemActor } from '../audit/index.ts';
import { SEND_MESSAGE } from './notifier.ts';

/** What dispatch writes and enqueues, read before any worker runs: the clock stands at 22:30 in Paris. */
describe.each(bothDialects)('dispatch without a worker on %s', (dialect) => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let made = 0;
  /** A patient of the test's own, by email and SMS, signed in to the patient app. */
  const newNoor = async () => {
    made++;
    const { patient, browser } = await signedInPatient(app, {
      firstName: 'Noor',
      lastName: 'Ali',
      dateOfBirth: '1990-01-01',
      email: `noor-${made}@example.org`,
      phone: `+4479111234${String(90 + made)}`,
    });
    return { id: patient.id, phone: patient.phone!, browser };
  };
  beforeAll(async () => {
    app = await createTestApp({ dialect, now: '2026-03-02T21:30:00Z' }); // 22:30 in Paris
    clinic = await seedClinic(app);
  });
  afterAll(() => app?.destroy());
  const jobOf = async (jobId: number | null) =>
    (await app.deps.jobs.admin.list({ name: SEND_MESSAGE.name, limit: 500 })).find((j) => j.id === jobId)!;

  it('writes the queued delivery in the transaction that enqueues its job', async () => {
    const b = testBrowser(app.http);
    expect((await b.json('POST', '/api/v1/auth/start', { email: 'someone@example.org' })).status).toBe(202);
    const { rows } = await app.deps.notifications.deliveries.list(systemActor, {});
    const d = rows.find((r) => r.recipient === 'someone@example.org')!;
    expect(d).toMatchObject({ status: 'queued', channel: 'email', messageType: 'sign-in-code', attempts: 0 });
    const job = await jobOf(d.jobId);
    expect(job.status).toBe('queued');
    expect((job.payload as any).deliveryId).toBe(d.id);
    expect(JSON.stringify(job.payload)).not.toMatch(/\b\d{6}\b/); // no code in the job
  });

  it('holds an SMS due in the quiet hours until they end, but never a sign-in code', async () => {
    const { id: noor, phone, browser: me } = await newNoor();
    await bookAppointment(app, clinic, noor, '2026-03-09T08:00:00.000Z');
    // No worker here: dispatch the booking's message as its job would, at 22:30 in Paris.
    const changed = (
      await app.deps.jobs.admin.list({ name: 'scheduling.appointment-changed', limit: 5 })
    )[0]!;
    await app.db.tx((ctx) =>
      app.deps.notifications.notifier.dispatch(ctx, {
        type: 'appointment-booked',
        to: { patientId: noor },
        params: { ...(changed.payload as object) },
        key: 'test-quiet',
      }),
    );
    const rows = await app.deps.notifications.deliveries.forPatient(systemActor, noor);
    expect(rows.map((d) => d.channel).sort()).toEqual(['email', 'sms']);
    const smsJob = await jobOf(rows.find((d) => d.channel === 'sms')!.jobId);
    const emailJob = await jobOf(rows.find((d) => d.channel === 'email')!.jobId);
    expect(new Date(smsJob.runAt).toISOString()).toBe('2026-03-03T07:00:00.000Z'); // 08:00 in Paris
    expect(new Date(emailJob.runAt).toISOString()).toBe('2026-03-02T21:30:00.000Z');

    expect((await testBrowser(app.http).json('POST', '/api/v1/auth/start', { phone })).status).toBe(202);
    const code = (await app.deps.notifications.deliveries.list(systemActor, { channel: 'sms' })).rows.find(
      (d) => d.messageType === 'sign-in-code',
    )!;
    expect(new Date((await jobOf(code.jobId)).runAt).toISOString()).toBe('2026-03-02T21:30:00.000Z');

    // The patient's own quiet hours (23:00–06:00) let it go now; none at all, too.
    const set = await me.json('PATCH', '/api/v1/me', {
      notifications: { quietHours: { start: '23:00', end: '06:00' } },
    });
    expect(((await set.json()) as any).patient.notifications.quietHours).toEqual({
      start: '23:00',
      end: '06:00',
    });
    const bad = await me.json('PATCH', '/api/v1/me', {
      notifications: { quietHours: { start: '25:00', end: '06:00' } },
    });
    expect(bad.status).toBe(422);
    await app.db.tx((ctx) =>
      app.deps.notifications.notifier.dispatch(ctx, {
        type: 'appointment-booked',
        to: { patientId: noor },
        key: 'test-quiet-2',
        channels: ['sms'],
      }),
    );
    const own = (await app.deps.notifications.deliveries.forPatient(systemActor, noor)).find(
      (d) => d.dedupeKey === 'test-quiet-2:sms',
    )!;
    expect(new Date((await jobOf(own.jobId)).runAt).toISOString()).toBe('2026-03-02T21:30:00.000Z');
    const none = await me.json('PATCH', '/api/v1/me', { notifications: { quietHours: null } });
    expect(((await none.json()) as any).patient.notifications.quietHours).toBeNull();
  });

  it('sends a second dispatch with the same key nowhere (a re-run of the caller)', async () => {
    const { id: noor } = await newNoor();
    const count = async () => (await app.deps.notifications.deliveries.forPatient(systemActor, noor)).length;
    const before = await count();
    const again = () =>
      app.db.tx((ctx) =>
        app.deps.notifications.notifier.dispatch(ctx, {
          type: 'appointment-reminder',
          to: { patientId: noor },
          key: 'same-key',
        }),
      );
    expect(await again()).toBeGreaterThan(0);
    expect(await again()).toBe(0);
    expect(await count()).toBe(before + 2); // email + SMS, once each
  });
});
