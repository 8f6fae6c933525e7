import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { testBrowser } from '../../testing/browser.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { registerPatient } from '../../testing/patient-browser.ts';
import type { SmsSink } from '../../testing/peers/sms-sink.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';

/** Sign-in by phone: the code goes by SMS through an HTTP gateway (a local stand-in). */
describe('patient sign-in by phone', () => {
  let sink: SmsSink;
  let app: AppWithSinks;
  beforeAll(async () => {
    app = await createAppWithSinks();
    sink = app.sms;
  });
  afterAll(() => app.destroy());
  const codeIn = (i: number) => /\b(\d{6})\b/.exec(JSON.parse(sink.requests[i]!.body).text)![1]!;

  it('sends the code to the E.164 number, signs in, and registers with that number', async () => {
    const phone = testBrowser(app.http);
    const before = sink.requests.length;
    expect((await phone.json('POST', '/api/v1/auth/start', { phone: '+33 6 12 34 56 78' })).status).toBe(202);
    await sink.waitFor(before + 1);
    const sent = JSON.parse(sink.requests[before]!.body) as { to: string; text: string };
    expect(sent.to).toBe('+33612345678');
    expect(sent.text).toMatch(/^\d{6} is your Our clinic sign-in code\. It expires in 10 minutes\.$/);
    const verified = await phone.json('POST', '/api/v1/auth/verify', {
      phone: '+33612345678',
      code: codeIn(before),
    });
    expect(verified.status).toBe(200);
    const reg = await registerPatient(phone, {
      firstName: 'Léa',
      lastName: 'Martin',
      dateOfBirth: '1988-08-08',
    });
    expect(
      ((await reg.json()) as { patient: { phone: string; email: string | null } }).patient,
    ).toMatchObject({
      phone: '+33612345678',
      email: null,
    });
  });

  it('refuses a number without its country code, or not a number, with a clear message', async () => {
    const b = testBrowser(app.http);
    for (const phone of ['06 12 34 56 78', '+33 1', 'call me']) {
      const res = await b.json('POST', '/api/v1/auth/start', { phone });
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain('country code');
    }
  });

  it('retries when the gateway fails, and delivers exactly one SMS', async () => {
    await jobsDone(app); // the failure is for this test's SMS, not one another test left to send
    sink.failNext(500, 1);
    const before = sink.requests.length;
    const b = testBrowser(app.http);
    expect((await b.json('POST', '/api/v1/auth/start', { phone: '+44 7911 123456' })).status).toBe(202);
    const job = async () =>
      (await app.deps.jobs.admin.list({ name: 'notifications.send-message', limit: 1 }))[0]!;
    // Wait for the failed attempt to be recorded (queued again, with its error) before moving the clock.
    await until('the failed attempt recorded', async () => {
      const j = await job();
      return j.status === 'queued' && j.lastError;
    });
    expect(sink.requests.length).toBe(before);
    app.clock.advance(120_000); // past the retry's backoff
    try {
      await sink.waitFor(before + 1);
      await jobsDone(app, 'notifications.send-message');
      expect(sink.requests.length).toBe(before + 1);
      expect(JSON.parse(sink.requests[before]!.body).to).toBe('+447911123456');
      expect((await job()).status).toBe('succeeded');
    } finally {
      app.clock.advance(-120_000);
    }
  });

  it('staff invite a patient on record by SMS; the link works with the date of birth', async () => {
    const patient = await patientOnRecord(app, {
      dateOfBirth: '1975-03-03',
      phone: '+33 7 12 34 56 78',
      email: '',
    });
    const before = sink.requests.length;
    await app.deps.patientInvites.invite(systemActor, patient.id, { phone: '+33 7 12 34 56 78' });
    await sink.waitFor(before + 1);
    const sms = JSON.parse(sink.requests[before]!.body) as { to: string; text: string };
    expect(sms.to).toBe('+33712345678');
    const token = /#\/invite\?token=([\w-]{43})/.exec(sms.text)![1]!;
    const b = testBrowser(app.http);
    const res = await b.json('POST', '/api/v1/auth/invite', { token, dateOfBirth: '1975-03-03' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { patient: { id: string } }).patient.id).toBe(patient.id);
  });
});

describe('the monthly SMS budget', () => {
  it('still sends sign-in codes past it, and sends invitations by email instead', async () => {
    const app = await createAppWithSinks({ config: { smsMonthlyLimit: 1 } });
    const { sms, smtp: mail } = app;
    try {
      const b = testBrowser(app.http);
      await b.json('POST', '/api/v1/auth/start', { phone: '+33 6 12 34 56 78' });
      await b.json('POST', '/api/v1/auth/start', { phone: '+33 6 12 34 56 79' });
      await sms.waitFor(2);
      expect(sms.requests).toHaveLength(2); // essential: both went, the budget of 1 notwithstanding
      const patient = await patientOnRecord(app, { email: 'ana@example.org', phone: '+33 7 12 34 56 78' });
      await app.deps.patientInvites.invite(systemActor, patient.id, { phone: '+33 7 12 34 56 78' });
      const [invite] = await mail.waitFor(1);
      expect(JSON.stringify(invite!.to)).toContain('ana@example.org');
      expect(invite!.text).toMatch(/#\/invite\?token=[\w-]{43}/);
      expect(sms.requests).toHaveLength(2);
    } finally {
      await app.destroy();
    }
  });
});
