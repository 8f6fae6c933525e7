import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../notify/email/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type SmtpSink, startSmtpSink } from '../../testing/peers/smtp-sink.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';

/** The staff invitation email, through the job queue to a real SMTP server. */
describe('inviting staff by email', () => {
  let sink: SmtpSink;
  let app: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.stop());
  afterEach(async () => {
    await app.destroy();
    sink.messages.length = 0;
    sink.rejectWith = null;
  });

  const start = async () => {
    app = await createTestApp({
      worker: true,
      mail: smtpTransport({ url: sink.url, from: 'Clinic <desk@clinic.example>', connectionTimeoutMs: 1000 }),
      config: { jobPollInterval: 20, baseUrl: 'https://clinic.example' },
    });
    await app.start();
  };
  const job = async (name: string) => (await app.deps.jobs.admin.list({ name }))[0];
  const inviteJob = () => job('accounts.send-staff-invite');

  it('emails a working set-password link, once; the link is not stored in the job', async () => {
    await start();
    const bo = await app.deps.staff.accounts.invite(systemActor, {
      email: 'bo@clinic.example',
      name: 'Bo',
      role: 'reception',
    });
    const [mail] = await sink.waitFor(1);
    expect(mail?.to).toMatchObject({ text: 'bo@clinic.example' });
    expect(mail?.from?.text).toContain('desk@clinic.example');
    expect(mail?.subject).toBe('You are invited to Clinicbox');
    const link = /https:\/\/clinic\.example(\/staff\/set-password\?token=[\w-]{43})/.exec(
      mail!.text ?? '',
    )![1]!;
    expect((await app.http.request(link)).status).toBe(200);
    await until('the invitation job succeeded', async () => (await inviteJob())?.status === 'succeeded');
    const row = await job('accounts.send-staff-invite');
    expect(row).toMatchObject({ status: 'succeeded', payload: { accountId: bo.id } });
    expect(JSON.stringify(row)).not.toContain(link.split('=')[1]);
    expect(sink.messages).toHaveLength(1);
  });

  it('retries while the mail server is down and delivers exactly one email when it returns', async () => {
    await sink.stop();
    await start();
    await app.deps.staff.accounts.invite(systemActor, {
      email: 'cy@clinic.example',
      name: 'Cy',
      role: 'practitioner',
    });
    await until('a failed try of the invitation job', async () => (await inviteJob())?.lastError);
    expect(await job('accounts.send-staff-invite')).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: expect.stringMatching(/could not reach the mail server/),
    });
    await sink.start();
    app.clock.advance(60_000); // past the first backoff
    await sink.waitFor(1);
    await until('the invitation job succeeded', async () => (await inviteJob())?.status === 'succeeded');
    expect(sink.messages.map((m) => m.subject)).toEqual(['You are invited to Clinicbox']);
  });

  it('a permanent refusal (5xx) goes dead at once and shows why', async () => {
    sink.rejectWith = 550;
    await start();
    await app.deps.staff.accounts.invite(systemActor, {
      email: 'di@clinic.example',
      name: 'Di',
      role: 'practitioner',
    });
    await until('the invitation job dead', async () => (await inviteJob())?.status === 'dead');
    expect(await job('accounts.send-staff-invite')).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: expect.stringMatching(/refused the message \(550\)/),
    });
  });
});
