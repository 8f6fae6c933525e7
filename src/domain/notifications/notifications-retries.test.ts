import { describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { messagesWorld } from '../../testing/messages-world.ts';
import { until } from '../../testing/wait.ts';
import { SEND_MESSAGE } from './notifier.ts';

/** A mail server or SMS gateway that fails: retried and sent once, or failed for good, in the delivery log. */
describe.each(bothDialects)('failed sends and their retries on %s', (dialect) => {
  const world = messagesWorld(dialect);
  const { newPatient, book, deliveries, mailsTo, smsTo } = world;
  /** The patient's delivery `id` once it is sent, waited for as `what`. */
  const sentDelivery = (what: string, patientId: string, id: string) =>
    until(what, async () => {
      const d = (await deliveries(patientId)).find((x) => x.id === id);
      return d?.status === 'sent' && d;
    });

  it('retries while the SMTP server is down and delivers exactly once; the log shows the retry', async () => {
    const { app } = world;
    const mia = await newPatient('Mia');
    await jobsDone(app); // what other tests sent has gone before the server goes down
    await app.smtp.stop();
    const before = mailsTo(mia.email).length;
    const a = await book(mia.id);
    const failing = await until('a failed try', async () =>
      (await deliveries(mia.id)).find((d) => d.channel === 'email' && d.attempts === 1 && d.lastError),
    );
    expect(failing.status).toBe('queued');
    expect(failing.lastError).toMatch(/could not reach the mail server/);
    await app.smtp.start();
    app.clock.advance(2 * 3_600_000); // past the retry's backoff
    try {
      const sent = await sentDelivery('the retry', mia.id, failing.id);
      expect(sent.attempts).toBe(2);
      await jobsDone(app);
      const arrived = mailsTo(mia.email).slice(before);
      expect(arrived).toHaveLength(1);
      expect(arrived[0]!.text).toContain('Physiotherapy');
      expect(a.status).toBe('booked');
    } finally {
      app.clock.advance(-2 * 3_600_000);
    }
  });

  it('retries an SMS the gateway answered 500, and sends it once', async () => {
    const { app } = world;
    const mia = await newPatient('Mia');
    await jobsDone(app); // the failure is for this test's SMS, not one another test left to send
    app.sms.failNext(500, 1);
    const before = smsTo(mia.phone).length;
    await book(mia.id);
    const failing = await until('a failed SMS try', async () =>
      (await deliveries(mia.id)).find((d) => d.channel === 'sms' && d.status === 'queued' && d.lastError),
    );
    expect(failing.lastError).toBe('the SMS gateway answered 500');
    app.clock.advance(2 * 3_600_000);
    try {
      const sent = await sentDelivery('the SMS retry', mia.id, failing.id);
      expect(sent.attempts).toBe(2);
      await jobsDone(app);
      expect(smsTo(mia.phone).length).toBe(before + 1);
      // The retry carries the same key as the first try, so a gateway that honours it drops a duplicate.
      expect(smsTo(mia.phone)[before]!.headers['idempotency-key']).toBe(`delivery-${failing.id}`);
    } finally {
      app.clock.advance(-2 * 3_600_000);
    }
  });

  it('marks a message the mail server refuses for good (5xx) as failed, its job dead', async () => {
    const { app } = world;
    const mia = await newPatient('Mia');
    await jobsDone(app); // what other tests sent has gone before the server starts refusing
    app.smtp.rejectWith = 550;
    try {
      await book(mia.id);
      const failed = await until('the failure', async () =>
        (await deliveries(mia.id)).find((d) => d.channel === 'email' && d.status === 'failed'),
      );
      expect(failed.lastError).toBe('the mail server refused the message (550)');
      // The delivery row is written by the handler; the job is marked dead just after it returns.
      const job = await until('the dead job', async () => {
        const j = (await app.deps.jobs.admin.list({ name: SEND_MESSAGE.name, limit: 500 })).find(
          (x) => x.id === failed.jobId,
        );
        return j?.status === 'dead' && j;
      });
      expect(job.status).toBe('dead');
    } finally {
      app.smtp.rejectWith = null;
    }
  });
});
