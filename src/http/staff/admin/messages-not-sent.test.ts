import { describe, expect, it } from 'vitest';
import { smtpTransport } from '../../../notify/email/index.ts';
import { httpSmsTransport } from '../../../notify/sms/index.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import type { TestBrowser } from '../../../testing/browser.ts';
import { bothDialects, type TestDialect } from '../../../testing/db.ts';
import { type ClinicFixture, seedClinic } from '../../../testing/factories.ts';
import { type SmsSink, startSmsSink } from '../../../testing/peers/sms-sink.ts';
import { type SmtpSink, startSmtpSink } from '../../../testing/peers/smtp-sink.ts';
import { patientOnRecord, signedInAs } from '../../../testing/signed-in.ts';
import { until } from '../../../testing/wait.ts';

/*
 * Issue 15, item 15: a message that only reached the log driver (no SMS provider, no SMTP server)
 * is "not sent (no SMS provider)" / "(no email server)" in the delivery log — never "sent" — on the
 * admin Messages page (with a filter of its own) and on the patient's chart. Driven as staff do:
 * a booking through the API, then the pages.
 */

interface World {
  app: TestApp;
  clinic: ClinicFixture;
  desk: TestBrowser;
  admin: TestBrowser;
  stop(): Promise<void>;
}

/** The app with its worker, email to a real SMTP sink or nowhere, SMS to a gateway stand-in or nowhere. */
async function world(dialect: TestDialect, with_: { smtp?: SmtpSink; sms?: SmsSink }): Promise<World> {
  const app = await createTestApp({
    dialect,
    worker: true,
    config: { staffMfa: 'optional', jobPollInterval: 20, baseUrl: 'https://clinic.example' },
    ...(with_.smtp
      ? { mail: smtpTransport({ url: with_.smtp.url, from: 'Clinic <desk@clinic.example>' }) }
      : {}),
    ...(with_.sms ? { sms: httpSmsTransport({ url: `${with_.sms.url}/send`, timeoutMs: 2000 }) } : {}),
  });
  await app.start();
  const clinic = await seedClinic(app);
  return {
    app,
    clinic,
    desk: await signedInAs(app, 'bo@clinic.example'),
    admin: await signedInAs(app, 'ada@clinic.example'),
    async stop() {
      await app.destroy();
      await with_.smtp?.stop();
      await with_.sms?.stop();
    },
  };
}

/**
 * A patient on record with an email (first name @example.org) and the mobile `phone`, whom the
 * receptionist books through the appointments API, a week ahead.
 */
async function patientBookedThroughApi(w: World, firstName: string, phone: string) {
  const patient = await patientOnRecord(w.app, {
    firstName,
    email: `${firstName.toLowerCase()}@example.org`,
    phone,
  });
  const res = await w.desk.json('POST', '/api/v1/appointments', {
    serviceId: w.clinic.serviceId,
    practitionerId: w.clinic.practitionerIds[0],
    start: '2026-03-09T08:00:00.000Z',
    patientId: patient.id,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return patient;
}

const rowsOf = (html: string, status: string) =>
  html.match(new RegExp(`<tr data-status="${status}">.*?</tr>`, 'gs')) ?? [];

describe.each(bothDialects)('messages no provider took, on %s', (dialect) => {
  it('shows an SMS sent with no SMS provider as “not sent (no SMS provider)”, apart from sent and skipped ones', async () => {
    const smtp = await startSmtpSink();
    const w = await world(dialect, { smtp });
    try {
      const nora = await patientBookedThroughApi(w, 'Nora', '+447911123450');
      // The worker sends through a real SMTP conversation and logs the SMS: on a loaded machine (both
      // suites side by side) that took longer than until()'s 8 s once.
      await until(
        'the booking email',
        async () => smtp.messages.find((m) => m.text?.includes('Hello Nora')),
        20_000,
      );

      const notSent = await until(
        'the SMS logged as not sent',
        async () => {
          const html = await w.admin.text(await w.admin.get('/staff/admin/messages?status=not-sent'));
          return rowsOf(html, 'not-sent').length === 1 && html;
        },
        20_000,
      );
      const [row] = rowsOf(notSent, 'not-sent');
      expect(row).toContain('+447911123450');
      expect(row).toContain('<td class="status-not-sent">not sent (no SMS provider)</td>');
      expect(notSent).not.toContain('nora@example.org'); // the email did go
      expect(notSent).toContain('<option value="not-sent" selected="">not sent (no provider)</option>');

      const sent = await w.admin.text(await w.admin.get('/staff/admin/messages?status=sent'));
      expect(rowsOf(sent, 'sent').map((r) => r.includes('nora@example.org'))).toEqual([true]);
      expect(sent).not.toContain('+447911123450');
      const skipped = await w.admin.text(await w.admin.get('/staff/admin/messages?status=skipped'));
      expect(skipped).not.toContain('+447911123450'); // not a skip the patient chose (quiet hours…)

      // The chart says the same; and the email the SMS falls back to is the one already sent.
      const chart = await w.desk.text(await w.desk.get(`/staff/patients/${nora.id}`));
      expect(chart).toContain('<td class="status-not-sent">not sent (no SMS provider)</td>');
      expect(rowsOf(chart, 'sent').some((r) => r.includes('+447911123450'))).toBe(false);
      expect(smtp.messages.filter((m) => JSON.stringify(m.to).includes('nora@example.org'))).toHaveLength(1);
      // Settings → Messages says so before anyone wonders.
      const settings = await w.admin.text(await w.admin.get('/staff/settings/messages'));
      expect(settings).toContain('This clinic has no SMS provider (--sms-http-url or Twilio) configured');
      expect(settings).not.toContain('no email server');
    } finally {
      await w.stop();
    }
  }, 60_000);

  it('shows an email sent with no email server as “not sent (no email server)” while the SMS is sent', async () => {
    const sms = await startSmsSink();
    const w = await world(dialect, { sms });
    try {
      const omar = await patientBookedThroughApi(w, 'Omar', '+447911123451');
      await until('the booking SMS', async () =>
        sms.requests.find((r) => JSON.parse(r.body).to === '+447911123451'),
      );
      const chart = await until('both logged', async () => {
        const html = await w.desk.text(await w.desk.get(`/staff/patients/${omar.id}`));
        return rowsOf(html, 'not-sent').length === 1 && rowsOf(html, 'sent').length === 1 && html;
      });
      const [email] = rowsOf(chart, 'not-sent');
      expect(email).toContain('omar@example.org');
      expect(email).toContain('<td class="status-not-sent">not sent (no email server)</td>');
      expect(rowsOf(chart, 'sent')[0]).toContain('+447911123451');
      const emails = await w.admin.text(
        await w.admin.get('/staff/admin/messages?status=not-sent&channel=email'),
      );
      expect(rowsOf(emails, 'not-sent')).toHaveLength(1);
      const smsNotSent = await w.admin.text(
        await w.admin.get('/staff/admin/messages?status=not-sent&channel=sms'),
      );
      expect(rowsOf(smsNotSent, 'not-sent')).toHaveLength(0);
      const settings = await w.admin.text(await w.admin.get('/staff/settings/messages'));
      expect(settings).toContain('This clinic has no email server (--smtp-url) configured');
    } finally {
      await w.stop();
    }
  }, 60_000);

  it('marks what an older version logged as “sent” through the log driver as not sent, at start', async () => {
    const w = await world(dialect, {});
    try {
      const now = w.app.clock.now();
      const row = (id: string, channel: 'email' | 'sms', providerId: string) => ({
        id,
        recipient: channel === 'email' ? `${id}@example.org` : '+447911123452',
        channel,
        messageType: 'appointment-booked',
        language: 'en',
        status: 'sent' as const,
        providerId,
        attempts: 1,
        createdAt: now,
        updatedAt: now,
        sentAt: now,
      });
      await w.app.db.tx((ctx) =>
        ctx.db
          .insert(ctx.t.deliveries)
          .values([
            row('old-sms', 'sms', 'log-1'),
            row('old-email', 'email', 'log-2'),
            row('real', 'email', '<id@smtp>'),
          ]),
      );
      expect(await w.app.deps.notifications.deliveries.relabelLogged()).toBe(2); // what start runs
      const html = await w.admin.text(await w.admin.get('/staff/admin/messages'));
      expect(rowsOf(html, 'not-sent').join()).toContain('not sent (no SMS provider)');
      expect(rowsOf(html, 'not-sent').join()).toContain('not sent (no email server)');
      expect(rowsOf(html, 'sent').map((r) => r.includes('real@example.org'))).toEqual([true]);
    } finally {
      await w.stop();
    }
  }, 60_000);
});
