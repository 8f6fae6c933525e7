import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import type { SmsSink } from '../../testing/peers/sms-sink.ts';
import type { SmtpSink } from '../../testing/peers/smtp-sink.ts';
import { patientOnRecord, signedInClinicStaff } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';

/*
 * The staff side of messages, through the pages: the test-send buttons (real queue, real
 * transports), the admin message log with filters and pages, a patient's chart with what was
 * sent to them (both reads audited), and the templates with validation, preview and escaping.
 * Each test on its own app and sinks: the log and the sinks hold only what it sent.
 */

describe.each(bothDialects)('staff message pages on %s', (dialect) => {
  let smtp: SmtpSink;
  let sms: SmsSink;
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let admin: TestBrowser;
  let desk: TestBrowser;
  beforeEach(async () => {
    app = await createAppWithSinks({ dialect, config: { staffMfa: 'optional' } });
    ({ smtp, sms } = app);
    clinic = await seedClinic(app);
    ({ admin, desk } = await signedInClinicStaff(app, 'admin', 'desk'));
  });
  afterEach(() => app?.destroy());

  it('sends a test email and a test SMS through the queue, and the log shows both sent', async () => {
    const page = await admin.text(await admin.get('/staff/settings/messages'));
    expect(page).toContain('Send a test email');
    expect(page).toContain('value="ada@clinic.example"');
    const sent = await admin.post('/staff/settings/messages/test-email', { email: 'ops@clinic.example' });
    expect(sent.headers.get('location')).toBe('/staff/settings/messages?notice=test-email');
    const mail = await until('the test email', async () => smtp.messages[0]);
    expect(mail.subject).toBe('Riverside Physio: test email');
    expect(mail.headerLines.some((h) => h.key === 'list-unsubscribe')).toBe(false); // essential: no unsubscribe
    await admin.text(await admin.get('/staff/settings/messages'));
    const bad = await admin.post('/staff/settings/messages/test-sms', { phone: '12' });
    expect(bad.status).toBe(422);
    expect(await admin.text(bad)).toContain('Enter a mobile number with its country code');
    await admin.post('/staff/settings/messages/test-sms', { phone: '+44 7911 123456' });
    const text = await until('the test SMS', async () => sms.requests[0]);
    expect(JSON.parse(text.body)).toEqual({
      to: '+447911123456',
      text: 'Test SMS from Riverside Physio. SMS works.',
    });
    const log = await until('both logged as sent', async () => {
      const html = await admin.text(await admin.get('/staff/admin/messages?status=sent'));
      return (html.match(/<tr data-status="sent">/g) ?? []).length === 2 && html;
    });
    expect(log).toContain('ops@clinic.example');
    expect(log).toContain('+447911123456');
    expect(log).toContain('<td>2026-03-02 10:00:00</td>'); // 09:00Z in the clinic's time zone (Paris)
    expect(log).not.toContain('2026-03-02 09:00:00');
    const smsOnly = await admin.text(await admin.get('/staff/admin/messages?channel=sms'));
    expect(smsOnly).not.toContain('ops@clinic.example');
    expect((await app.deps.audit.list({ limit: 20 })).map((r) => r.action)).toContain(
      'notifications.send-test',
    );
  });

  it('pages the log, 50 a page, and reads of it are audited', async () => {
    for (let i = 0; i < 53; i++) {
      await app.deps.notifications.notifier.sendTest(
        { type: 'staff', id: clinic.adminId },
        'email',
        `bulk${i}@example.org`,
      );
    }
    const first = await admin.text(await admin.get('/staff/admin/messages?channel=email'));
    expect(first).toContain('53 messages · page 1 of 2');
    expect((first.match(/<tr data-status=/g) ?? []).length).toBe(50);
    expect(first).toContain('href="/staff/admin/messages?status=&amp;channel=email&amp;page=2"');
    const second = await admin.text(await admin.get('/staff/admin/messages?channel=email&page=2'));
    expect((second.match(/<tr data-status=/g) ?? []).length).toBe(3);
    expect((await app.deps.audit.list({ actorId: clinic.adminId, limit: 5 })).map((r) => r.action)).toContain(
      'deliveries.list',
    );
  });

  it('is for admins: reception may not see the log, test or edit templates', async () => {
    expect((await desk.get('/staff/admin/messages')).status).toBe(403);
    expect((await desk.get('/staff/settings/messages')).status).toBe(403);
    expect((await desk.get('/staff/settings/messages/templates/test/email/en')).status).toBe(403);
    await desk.text(await desk.get('/staff'));
    expect((await desk.post('/staff/settings/messages/test-email', { email: 'x@example.org' })).status).toBe(
      403,
    );
  });

  it('shows a patient’s chart with the messages sent to them, and audits the read', async () => {
    const patientId = clinic.patientIds[0]!;
    const appointment = await bookAppointment(app, clinic, patientId, '2026-03-09T08:00:00.000Z');
    await until('the booking email', async () =>
      smtp.messages.find((m) => JSON.stringify(m.to).includes('patient1@example.org')),
    );
    // The appointment's page over its own day (a link without the day is sent there first).
    const panel = await desk.text(
      await desk.get(`/staff/appointments/${appointment.id}?view=day&date=2026-03-09`),
    );
    expect(panel).toContain(`href="/staff/patients/${patientId}"`);
    const chart = await until('the chart with the sent email', async () => {
      const html = await desk.text(await desk.get(`/staff/patients/${patientId}`));
      return html.includes('appointment-booked') && html.includes('<tr data-status="sent">') && html;
    });
    expect(chart).toContain('Pat1 Ient1');
    expect(chart).toContain('patient1@example.org');
    expect(chart).not.toContain('Your appointment is booked'); // never the message itself
    // The chart's reads (the record, its alerts, invoices, messages…) each leave a row: look at all of them.
    const actions = (await app.deps.audit.list({ patientId, limit: 100 })).map((r) => r.action);
    expect(actions).toContain('deliveries.read');
    expect(actions).toContain('patient.read');
    expect((await desk.get('/staff/patients/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('refuses a template with an unknown variable or a health detail outside an email body, naming it', async () => {
    const path = '/staff/settings/messages/templates/appointment-booked/sms/en';
    const page = await admin.text(await admin.get(path));
    expect(page).toContain('{{clinicName}}: appointment booked for {{when}}. {{link}}');
    const unknown = await admin.post(path, { body: 'Hi {{firstName}}, see you {{when}}' });
    expect(unknown.status).toBe(422);
    expect(await admin.text(unknown)).toContain('Unknown variable {{firstName}}.');
    const health = await admin.post(path, { body: 'Your {{service}} is booked for {{when}}' });
    expect(health.status).toBe(422);
    expect(await admin.text(health)).toContain(
      '{{service}} may appear only in an email’s text: SMS must not carry',
    );
    const subject = '/staff/settings/messages/templates/appointment-booked/email/en';
    await admin.text(await admin.get(subject));
    const inSubject = await admin.post(subject, { subject: '{{service}} booked', body: 'Hello' });
    expect(inSubject.status).toBe(422);
    expect(await admin.text(inSubject)).toContain('subjects must not carry health details');
    expect(
      (
        await app.deps.notifications.templates.get({
          type: 'appointment-booked',
          channel: 'sms',
          language: 'en',
        })
      ).custom,
    ).toBe(false);
  });

  it('previews as you type, escapes values in the HTML email, and sends with the saved wording', async () => {
    const path = '/staff/settings/messages/templates/appointment-reminder/email/en';
    await admin.text(await admin.get(path));
    const preview = await admin.post(`${path}/preview`, {
      subject: '{{clinicName}}: see you soon',
      body: 'Dear {{patientName}}, <b>see you</b> {{when}}.',
    });
    expect(preview.status).toBe(200);
    const fragment = await preview.text();
    expect(fragment).toContain('Riverside Physio: see you soon');
    expect(fragment).toContain('Dear Alex, &lt;b&gt;see you&lt;/b&gt; Tuesday 3 March 2026 at 10:30.');
    const badPreview = await (await admin.post(`${path}/preview`, { subject: 'x', body: '{{nope}}' })).text();
    expect(badPreview).toContain('Unknown variable {{nope}}.');

    const saved = await admin.post(path, {
      subject: '{{clinicName}}: see you soon',
      body: 'Dear {{patientName}},\nsee you {{when}} for {{service}}.\n{{link}}',
    });
    expect(saved.status).toBe(303);
    const sneaky = await patientOnRecord(app, {
      firstName: '<img src=x onerror=alert(1)>',
      email: 'sneaky@example.org',
    });
    await app.db.tx((ctx) =>
      app.deps.notifications.notifier.dispatch(ctx, {
        type: 'appointment-reminder',
        to: { patientId: sneaky.id },
        params: { appointmentId: 'none', hours: 24, startAt: '2026-03-09T08:00:00.000Z' },
        key: 'sneaky-reminder',
      }),
    );
    // The appointment does not exist: the reminder re-checks and skips, and says so in the log.
    const skipped = await until('the skipped reminder', async () => {
      const rows = await app.deps.notifications.deliveries.forPatient(systemActor, sneaky.id);
      return rows[0]?.status === 'skipped' && rows[0];
    });
    expect(skipped.lastError).toMatch(/no longer applies/);
    // A real one: booked, then its reminder dispatched as the reminder job would.
    const appointment = await bookAppointment(
      app,
      clinic,
      sneaky.id,
      '2026-03-10T08:00:00.000Z',
      clinic.practitionerIds[1]!,
    );
    await app.db.tx((ctx) =>
      app.deps.notifications.notifier.dispatch(ctx, {
        type: 'appointment-reminder',
        to: { patientId: sneaky.id },
        params: { appointmentId: appointment.id, hours: 24, startAt: appointment.start },
        key: 'sneaky-reminder-2',
      }),
    );
    const mail = await until('the reminder', async () =>
      smtp.messages.find((m) => m.subject === 'Riverside Physio: see you soon'),
    );
    expect(mail.text).toContain('Dear <img src=x onerror=alert(1)>,'); // plain text as typed
    expect(mail.html).toContain('Dear &lt;img src=x onerror=alert(1)&gt;,');
    expect(mail.html).not.toContain('<img');
    expect(mail.text).toContain('for Physiotherapy.');

    // Back to the default wording.
    await admin.text(await admin.get(path));
    await admin.post(`${path}/reset`);
    expect(
      (
        await app.deps.notifications.templates.get({
          type: 'appointment-reminder',
          channel: 'email',
          language: 'en',
        })
      ).subject,
    ).toBe('{{clinicName}}: A reminder of your appointment');
  });

  it('edits a French template separately; a language without one uses English', async () => {
    const path = '/staff/settings/messages/templates/test/sms/fr';
    await admin.text(await admin.get(path));
    expect((await admin.post(path, { body: 'Essai {{clinicName}}' })).status).toBe(303);
    expect(
      (await app.deps.notifications.templates.get({ type: 'test', channel: 'sms', language: 'fr' })).body,
    ).toBe('Essai {{clinicName}}');
    expect(
      (await app.deps.notifications.templates.get({ type: 'test', channel: 'sms', language: 'en' })).custom,
    ).toBe(false);
    expect((await admin.get('/staff/settings/messages/templates/test/push/en')).status).toBe(404);
  });
});
