import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { testBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { addService, bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import type { SmsSink } from '../../testing/peers/sms-sink.ts';
import type { SmtpSink } from '../../testing/peers/smtp-sink.ts';
import { addPatientLogin, patientOnRecord, signedInAs, signedInPatient } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';
import type { Booker } from '../scheduling/index.ts';
import { SEND_MESSAGE } from './notifier.ts';
import { smsBudget } from './sms-budget.ts';

/*
 * Appointment messages by every channel the patient accepts, against a real SMTP sink and a
 * real HTTP SMS gateway stand-in, with the delivery log checked at each step. The clock stands at
 * Monday 2026-03-02 09:00Z (10:00 in Paris); bookings are a week or more ahead.
 */

describe.each(bothDialects)('messages and the delivery log on %s', (dialect) => {
  let app: AppWithSinks;
  let smtp: SmtpSink;
  let sms: SmsSink;
  let clinic: ClinicFixture;
  let desk: Booker;
  let slot = 0;
  let made = 0;
  /**
   * A patient of the test's own, by email and SMS (Mia: English; Léa: French), with a browser
   * signed in to the patient app; nothing another test does reaches their messages.
   */
  const newPatient = async (firstName: 'Mia' | 'Léa') => {
    made++;
    const { patient, browser } = await signedInPatient(app, {
      firstName,
      lastName: firstName === 'Mia' ? 'Stone' : 'Martin',
      dateOfBirth: '1990-05-05',
      email: `${firstName === 'Mia' ? 'mia' : 'lea'}-${made}@example.org`,
      phone: `+4479111${String(made).padStart(5, '0')}`,
    });
    if (firstName === 'Léa') await browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
    return { id: patient.id, email: patient.email!, phone: patient.phone!, browser };
  };
  /** A fresh free weekday slot per call: Mondays 9:00 Paris onwards, one a week per practitioner. */
  const nextStart = () => {
    const d = new Date(Date.UTC(2026, 2, 9 + 7 * Math.floor(slot / 6), 8, (slot % 6) * 30));
    slot++;
    return d.toISOString();
  };
  const book = (patientId: string, start = nextStart()) => bookAppointment(app, clinic, patientId, start);
  const deliveries = (patientId: string) =>
    app.deps.notifications.deliveries.forPatient(systemActor, patientId);
  const mailsTo = (addr: string) => app.mailsTo(addr);
  const smsTo = (phone: string) => app.smsTo(phone);

  beforeAll(async () => {
    app = await createAppWithSinks({
      dialect,
      mailTimeoutMs: 500,
      config: { staffMfa: 'optional', baseUrl: 'https://clinic.example' },
    });
    ({ smtp, sms } = app);
    clinic = await seedClinic(app);
    desk = { actor: { type: 'staff', id: clinic.receptionId }, role: 'reception' };
  });
  afterAll(() => app?.destroy());

  it('sends a booking by email (with .ics) and SMS, logs both as sent, and keeps health details out of subject and SMS', async () => {
    const mia = await newPatient('Mia');
    await book(mia.id);
    const mail = (await until('the email', async () => mailsTo(mia.email)[0]))!;
    const text = (await until('the SMS', async () => smsTo(mia.phone)[0])).body;
    expect(mail.subject).toBe('Riverside Physio: Your appointment is booked');
    expect(mail.text).toContain('Physiotherapy with Dr P1');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['appointment.ics']);
    expect(mail.html).toContain('<a href="https://clinic.example/app/#/appointments">');
    expect(JSON.parse(text).text).toMatch(
      /^Riverside Physio: appointment booked for .*https:\/\/clinic\.example\/app\//,
    );
    expect(text).not.toContain('Physiotherapy');
    expect(text).not.toContain('Dr P1');
    const rows = await until('both sent', async () => {
      const r = await deliveries(mia.id);
      return r.length === 2 && r.every((d) => d.status === 'sent') && r;
    });
    expect(rows.map((d) => [d.channel, d.messageType, d.language, d.attempts]).sort()).toEqual([
      ['email', 'appointment-booked', 'en', 1],
      ['sms', 'appointment-booked', 'en', 1],
    ]);
    expect(rows.find((d) => d.channel === 'sms')!.providerId).toMatch(/^msg-\d+$/);
    expect(rows.every((d) => d.jobId !== null && d.sentAt !== null)).toBe(true);
  });

  it('writes in the patient’s language, and falls back to English for one without templates', async () => {
    const lea = await newPatient('Léa');
    await book(lea.id);
    const mail = await until('the French email', async () => mailsTo(lea.email)[0]);
    expect(mail.subject).toBe('Riverside Physio : votre rendez-vous est pris');
    expect(mail.text).toContain('lundi'); // the time in French too
    const sms1 = await until('the French SMS', async () => smsTo(lea.phone)[0]);
    expect(JSON.parse(sms1.body).text).toContain('rendez-vous pris pour le');
    await lea.browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'de' });
    const before = mailsTo(lea.email).length;
    await book(lea.id);
    const german = await until('the English fallback', async () => mailsTo(lea.email)[before]);
    expect(german.subject).toBe('Riverside Physio: Your appointment is booked');
    await lea.browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
  });

  it('sends a known patient’s sign-in code in their language', async () => {
    const lea = await newPatient('Léa');
    await addPatientLogin(app, lea.id, `email:${lea.email}`);
    const before = mailsTo(lea.email).length;
    const res = await testBrowser(app.http).json('POST', '/api/v1/auth/start', { email: lea.email });
    expect(res.status).toBe(202);
    const mail = await until('the code', async () => mailsTo(lea.email)[before]);
    expect(mail.subject).toBe('Riverside Physio : votre code de connexion');
    const { rows } = await app.deps.notifications.deliveries.list(systemActor, {});
    expect(rows.find((d) => d.messageType === 'sign-in-code' && d.recipient === lea.email)).toMatchObject({
      patientId: lea.id,
      language: 'fr',
    });
  });

  it('retries while the SMTP server is down and delivers exactly once; the log shows the retry', async () => {
    const mia = await newPatient('Mia');
    await jobsDone(app); // what other tests sent has gone before the server goes down
    await smtp.stop();
    const before = mailsTo(mia.email).length;
    const a = await book(mia.id);
    const failing = await until('a failed try', async () =>
      (await deliveries(mia.id)).find((d) => d.channel === 'email' && d.attempts === 1 && d.lastError),
    );
    expect(failing.status).toBe('queued');
    expect(failing.lastError).toMatch(/could not reach the mail server/);
    await smtp.start();
    app.clock.advance(2 * 3_600_000); // past the retry's backoff
    try {
      const sent = await until('the retry', async () => {
        const d = (await deliveries(mia.id)).find((x) => x.id === failing.id);
        return d?.status === 'sent' && d;
      });
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
    const mia = await newPatient('Mia');
    await jobsDone(app); // the failure is for this test's SMS, not one another test left to send
    sms.failNext(500, 1);
    const before = smsTo(mia.phone).length;
    await book(mia.id);
    const failing = await until('a failed SMS try', async () =>
      (await deliveries(mia.id)).find((d) => d.channel === 'sms' && d.status === 'queued' && d.lastError),
    );
    expect(failing.lastError).toBe('the SMS gateway answered 500');
    app.clock.advance(2 * 3_600_000);
    try {
      const sent = await until('the SMS retry', async () => {
        const d = (await deliveries(mia.id)).find((x) => x.id === failing.id);
        return d?.status === 'sent' && d;
      });
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
    const mia = await newPatient('Mia');
    await jobsDone(app); // what other tests sent has gone before the server starts refusing
    smtp.rejectWith = 550;
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
      smtp.rejectWith = null;
    }
  });

  it('honours the patient’s channels: SMS off means no SMS; GET /me shows it, old fields too', async () => {
    const mia = await newPatient('Mia');
    const me = mia.browser;
    const res = await me.json('PATCH', '/api/v1/me', { notifications: { sms: false } });
    expect(res.status).toBe(200);
    const { patient } = (await res.json()) as any;
    expect(patient.notifications).toEqual({
      email: true,
      sms: false,
      push: true,
      quietHours: { start: '21:00', end: '08:00' },
    });
    expect(patient.messagesBySms).toBe(false);
    const seen = new Set((await deliveries(mia.id)).map((d) => d.id));
    const fresh = async () => (await deliveries(mia.id)).filter((d) => !seen.has(d.id));
    await book(mia.id);
    await until('the email', async () => (await fresh()).length > 0);
    await jobsDone(app);
    expect((await fresh()).map((d) => d.channel)).toEqual(['email']);
    // The old field still works, both ways.
    await me.json('PATCH', '/api/v1/me', { messagesBySms: true });
    expect(((await (await me.get('/api/v1/me')).json()) as any).patient.notifications.sms).toBe(true);
  });

  it('tells the practitioner of an online booking by email, unless they chose no alerts', async () => {
    const mia = await newPatient('Mia');
    const patient = mia.browser;
    const start = '2026-03-10T09:00:00.000Z'; // Tuesday 10:00 Paris
    const online = await patient.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[1],
      start,
    });
    expect(online.status).toBe(201);
    const alert = await until('the staff alert', async () => mailsTo('p2@clinic.example')[0]);
    expect(alert.subject).toBe('Riverside Physio: an online booking');
    expect(alert.text).toContain('https://clinic.example/staff/calendar?date=2026-03-10');
    expect(alert.text).not.toContain('Mia'); // who and what stay in the staff app
    // The practitioner turns alerts off on their account page.
    const p2 = await signedInAs(app, 'p2@clinic.example');
    expect(await p2.text(await p2.get('/staff/account'))).toContain('Online booking alerts');
    const saved = await p2.post('/staff/account/alerts', { bookingAlerts: 'none' });
    expect(saved.headers.get('location')).toBe('/staff/account?notice=alerts-saved');
    const { appointment } = (await online.json()) as any;
    await patient.json('POST', `/api/v1/appointments/${appointment.id}/cancel`, {
      version: appointment.version,
    });
    await until('the patient’s cancellation email', async () =>
      mailsTo(mia.email).find((m) => m.subject?.includes('cancelled')),
    );
    await jobsDone(app);
    expect(mailsTo('p2@clinic.example')).toHaveLength(1);
  });

  it('puts an unsubscribe link and List-Unsubscribe headers in appointment emails; one click stops them at once', async () => {
    const mia = await newPatient('Mia');
    await book(mia.id);
    const mail = await until('the booking email', async () => mailsTo(mia.email)[0]);
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const link = /<(https:\/\/clinic\.example\/unsubscribe\?token=[^>]+)>/.exec(
      header('list-unsubscribe'),
    )![1]!;
    expect(mail.text).toContain(link);
    const path = link.replace('https://clinic.example', '');
    const page = await app.http.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Stop these emails?');
    expect((await app.deps.patients.get(systemActor, mia.id)).messagesByEmail).toBe(true); // GET changes nothing
    const forged = await app.http.request(path.replace(/.{4}$/, 'AAAA'), { method: 'POST' });
    expect(forged.status).toBe(400);
    const click = await app.http.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(click.status).toBe(200);
    expect((await app.deps.patients.get(systemActor, mia.id)).messagesByEmail).toBe(false);
    expect((await app.deps.audit.list({ patientId: mia.id, limit: 5 })).map((r) => r.action)).toContain(
      'patient.unsubscribe',
    );
    const seen = new Set((await deliveries(mia.id)).map((d) => d.id));
    await book(mia.id);
    await until('the SMS of the next booking', async () => (await deliveries(mia.id)).length > seen.size);
    await jobsDone(app);
    expect((await deliveries(mia.id)).filter((d) => !seen.has(d.id)).map((d) => d.channel)).toEqual(['sms']);
    await mia.browser.json('PATCH', '/api/v1/me', { notifications: { email: true } });
  });

  it('schedules a service’s own reminder offsets instead of the clinic’s', async () => {
    const mia = await newPatient('Mia');
    const service = await addService(app, { name: 'Long assessment', description: '', reminderHours: [48] });
    await app.deps.practitioners.save(systemActor, clinic.practitionerIds[0]!, {
      displayName: 'Dr P1',
      title: 'Physiotherapist',
      bio: '',
      colour: '#3366cc',
      bookableOnline: true,
      serviceIds: [clinic.serviceId, service.id],
      hours: {
        1: '09:00-12:00',
        2: '09:00-12:00',
        3: '09:00-12:00',
        4: '09:00-12:00',
        5: '09:00-12:00',
        6: '',
        7: '',
      },
    });
    const { appointment } = await app.deps.appointments.book(desk, {
      serviceId: service.id,
      practitionerId: clinic.practitionerIds[0]!,
      start: '2026-03-20T09:00:00.000Z',
      patientId: mia.id,
    });
    const reminders = (await app.deps.jobs.admin.list({ name: 'scheduling.send-reminder', limit: 500 }))
      .filter((j) => (j.payload as any).appointmentId === appointment.id && j.status === 'queued')
      .map((j) => new Date(j.runAt).toISOString());
    expect(reminders).toEqual(['2026-03-18T09:00:00.000Z']);
  });

  it('reminds by SMS with the time and a link only', async () => {
    const mia = await newPatient('Mia');
    const a = await book(mia.id);
    const before = smsTo(mia.phone).length;
    await app.db.tx((ctx) =>
      app.deps.notifications.notifier.dispatch(ctx, {
        type: 'appointment-reminder',
        to: { patientId: mia.id },
        params: { appointmentId: a.id, hours: 24, startAt: a.start },
        key: `reminder:${a.id}:24:${a.start}`,
        channels: ['sms'],
      }),
    );
    const sent = await until('the reminder SMS', async () =>
      smsTo(mia.phone)
        .slice(before)
        .find((r) => JSON.parse(r.body).text.includes('reminder')),
    );
    const { text } = JSON.parse(sent.body);
    expect(text).toMatch(
      /^Riverside Physio: reminder of your appointment Monday, \d+ March 2026 .*https:\/\/clinic\.example\/app\/#\/appointments$/,
    );
    expect(text).not.toMatch(/Physiotherapy|Dr P1|Mia/);
  });

  it('offers freed time to the waitlist by SMS too, with a booking link and no service name', async () => {
    const mia = await newPatient('Mia');
    const lea = await newPatient('Léa');
    const start = '2026-04-06T08:00:00.000Z'; // a Monday, 10:00 in Paris
    await app.deps.waitlist.join(systemActor, {
      patientId: mia.id,
      serviceId: clinic.serviceId,
      from: '2026-04-06',
      to: '2026-04-06',
    });
    const taken = await book(lea.id, start);
    const before = smsTo(mia.phone).length;
    await app.deps.appointments.cancel(desk, taken.id, { by: 'clinic' });
    const sent = await until('the waitlist SMS', async () =>
      smsTo(mia.phone)
        .slice(before)
        .find((r) => JSON.parse(r.body).text.includes('a time has become free')),
    );
    const { text } = JSON.parse(sent.body);
    expect(text).toContain(`https://clinic.example/app/#/book?serviceId=${clinic.serviceId}`);
    expect(text).toContain(`&patientId=${mia.id}`); // booked for the one who waited (a family member too)
    expect(text).not.toMatch(/Physiotherapy|Dr P1/);
    const rows = await until('the offer logged', async () => {
      const r = (await deliveries(mia.id)).filter((d) => d.messageType === 'waitlist-offer');
      return r.length === 2 && r.every((d) => d.status === 'sent') && r;
    });
    expect(rows.map((d) => d.channel).sort()).toEqual(['email', 'sms']);
  });

  it('sends a dependant’s messages to each guardian, by the guardian’s channels and in their language', async () => {
    const sam = (
      await patientOnRecord(app, {
        firstName: 'Sam',
        lastName: 'Reed',
        email: 'sam@example.org',
        phone: '+447911123457',
      })
    ).id;
    const { patient: inesRecord, browser: inesPhone } = await signedInPatient(app, {
      firstName: 'Inès',
      lastName: 'Reed',
      dateOfBirth: '1982-04-04',
      email: 'ines@example.org',
    });
    const ines = inesRecord.id;
    await inesPhone.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
    const tom = await app.deps.patientFamily.addDependent(
      { type: 'patient', id: sam },
      { firstName: 'Tom', lastName: 'Reed', dateOfBirth: '2015-06-06' },
    );
    await app.db.tx((ctx) =>
      ctx.db
        .insert(ctx.t.patientGuardians)
        .values({ guardianId: ines, dependentId: tom.id, createdAt: app.clock.now() }),
    );
    const a = await book(tom.id);
    const mail = await until('the guardian’s email', async () => mailsTo('sam@example.org')[0]);
    expect(mail.subject).toBe('Riverside Physio: Your appointment is booked');
    expect(mail.text).toContain('Hello Tom,');
    expect(mail.attachments.map((x) => x.filename)).toEqual(['appointment.ics']);
    const french = await until('the other guardian’s email', async () => mailsTo('ines@example.org')[0]);
    expect(french.subject).toBe('Riverside Physio : votre rendez-vous est pris');
    expect(french.text).toContain('Bonjour Tom,');
    await until('the guardian’s SMS', async () => smsTo('+447911123457')[0]);
    const rows = await until('one delivery per guardian and channel, sent', async () => {
      const r = await deliveries(tom.id);
      return r.length === 3 && r.every((d) => d.status === 'sent') && r;
    });
    expect(rows.map((d) => [d.channel, d.recipient, d.language]).sort()).toEqual([
      ['email', 'ines@example.org', 'fr'],
      ['email', 'sam@example.org', 'en'],
      ['sms', '+447911123457', 'en'],
    ]);
    // Reminders too.
    await app.db.tx((ctx) =>
      app.deps.notifications.notifier.dispatch(ctx, {
        type: 'appointment-reminder',
        to: { patientId: tom.id },
        params: { appointmentId: a.id, hours: 24, startAt: a.start },
        key: `reminder:${a.id}:24:${a.start}`,
      }),
    );
    const reminder = await until('the reminder to the guardian', async () =>
      mailsTo('sam@example.org').find((m) => m.subject?.includes('reminder')),
    );
    expect(reminder.text).toContain('Hello Tom,');
    await until('the reminder SMS to the guardian', async () =>
      smsTo('+447911123457').find((r) => JSON.parse(r.body).text.includes('reminder')),
    );
    await until('the French reminder', async () =>
      mailsTo('ines@example.org').find((m) => m.subject?.includes('rappel')),
    );
  });
});

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

describe.each(bothDialects)('the monthly SMS budget on %s', (dialect) => {
  let smtp: SmtpSink;
  let sms: SmsSink;
  let app: AppWithSinks;
  beforeAll(async () => {
    app = await createAppWithSinks({ dialect, config: { smsMonthlyLimit: 1 } });
    ({ smtp, sms } = app);
    await seedClinic(app);
  });
  afterAll(() => app?.destroy());

  it('sends an invitation over the budget by email instead, and logs the SMS as failed', async () => {
    const omar = await patientOnRecord(app, { email: 'omar@example.org', phone: '+33712345678' });
    await app.deps.patientInvites.invite(systemActor, omar.id, { phone: '+33 7 12 34 56 78' });
    const mail = await until('the fallback email', async () => smtp.messages[0]);
    expect(mail.subject).toBe('Riverside Physio: book and manage your appointments online');
    expect(mail.text).toMatch(/\/app\/#\/invite\?token=[\w-]{43}/);
    const rows = await until('both logged', async () => {
      const r = await app.deps.notifications.deliveries.forPatient(systemActor, omar.id);
      return r.length === 2 && r.every((d) => d.status !== 'queued') && r;
    });
    expect(rows.map((d) => [d.channel, d.status, d.lastError]).sort()).toEqual([
      ['email', 'sent', null],
      ['sms', 'failed', 'over the monthly SMS budget'],
    ]);
    expect(sms.requests).toHaveLength(0);
  });
});

/** Each test sets the clock it starts at (they move it). */
describe.each(bothDialects)('quiet hours, consents and the budget at send time on %s', (dialect) => {
  let sms: SmsSink;
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  const mailsTo = (addr: string) => app.mailsTo(addr);
  const smsTo = (phone: string) => app.smsTo(phone);
  const deliveries = (patientId: string) =>
    app.deps.notifications.deliveries.forPatient(systemActor, patientId);
  /** A patient of the test's own, and their phone signed in to the patient app. */
  const newPatient = async (firstName: string, email: string, phone: string) => {
    const { patient, browser } = await signedInPatient(app, {
      firstName,
      lastName: 'Quinn',
      dateOfBirth: '1991-01-01',
      email,
      phone,
    });
    return { id: patient.id, browser };
  };
  const book = (patientId: string, start: string) => bookAppointment(app, clinic, patientId, start);

  beforeAll(async () => {
    app = await createAppWithSinks({
      dialect,
      now: '2026-03-03T06:30:00Z',
      config: { baseUrl: 'https://clinic.example' },
    });
    ({ sms } = app);
    clinic = await seedClinic(app);
  });
  afterAll(() => app?.destroy());

  it('never holds an SMS reminder past the appointment: quiet hours until its start send it by email instead', async () => {
    app.clock.set('2026-03-03T06:30:00Z'); // Tuesday 07:30 in Paris: inside the clinic's quiet hours (21:00–08:00)
    const ivy = await newPatient('Ivy', 'ivy@example.org', '+447911123460');
    await ivy.browser.json('PATCH', '/api/v1/me', {
      notifications: { quietHours: { start: '21:00', end: '10:00' } },
    });
    // 10:00 in Paris today: the 2 h reminder is due at 08:00, inside Ivy's quiet hours, which end at 10:00.
    const a = await book(ivy.id, '2026-03-03T09:00:00.000Z');
    app.clock.advance(31 * 60_000); // 07:01Z: the reminder is due
    const rows = await until('the reminder by email, its SMS skipped', async () => {
      const r = (await deliveries(ivy.id)).filter((d) => d.messageType === 'appointment-reminder');
      return r.length === 2 && r.every((d) => d.status !== 'queued') && r;
    });
    expect(rows.map((d) => [d.channel, d.status]).sort()).toEqual([
      ['email', 'sent'],
      ['sms', 'skipped'],
    ]);
    expect(rows.find((d) => d.channel === 'sms')!.lastError).toBe(
      'quiet hours last until the appointment: sent by email instead',
    );
    expect(mailsTo('ivy@example.org').some((m) => m.subject?.includes('reminder'))).toBe(true);
    expect(
      (await app.deps.jobs.admin.list({ name: SEND_MESSAGE.name, limit: 500 })).filter(
        (j) => j.status === 'queued' && new Date(j.runAt) >= new Date(a.start),
      ),
    ).toHaveLength(0);
  });

  it('re-reads consent and address when the SMS is sent: turned off meanwhile → skipped; a new number → used', async () => {
    // 08:01 in Paris; Rae's and Kim's own quiet hours (21:00–09:00) hold their booking SMS until 09:00.
    app.clock.set('2026-03-03T07:01:00Z');
    const rae = await newPatient('Rae', 'rae@example.org', '+447911123461');
    const kim = await newPatient('Kim', 'kim@example.org', '+447911123462');
    for (const { browser } of [rae, kim]) {
      await browser.json('PATCH', '/api/v1/me', {
        notifications: { quietHours: { start: '21:00', end: '09:00' } },
      });
    }
    await book(rae.id, '2026-03-10T09:00:00.000Z');
    await book(kim.id, '2026-03-10T09:30:00.000Z');
    await until('both emails', async () => mailsTo('rae@example.org')[0] && mailsTo('kim@example.org')[0]);
    const held = async (id: string) =>
      (await deliveries(id)).find((d) => d.channel === 'sms' && d.status === 'queued');
    await until('the held SMS', async () => (await held(rae.id)) && (await held(kim.id)));
    // Meanwhile Rae turns SMS off, and Kim's number changes.
    const off = await rae.browser.json('PATCH', '/api/v1/me', {
      notifications: { sms: false },
    });
    expect(off.status).toBe(200);
    await app.db.tx((ctx) =>
      ctx.db.update(ctx.t.patients).set({ phone: '+447911123463' }).where(eq(ctx.t.patients.id, kim.id)),
    );
    app.clock.advance(3_600_000); // 09:01 in Paris
    const raeSms = await until('Rae’s SMS skipped', async () => {
      const d = (await deliveries(rae.id)).find((x) => x.channel === 'sms');
      return d?.status === 'skipped' && d;
    });
    expect(raeSms.lastError).toBe('the recipient turned sms messages off');
    const kimSms = await until('Kim’s SMS sent', async () => {
      const d = (await deliveries(kim.id)).find((x) => x.channel === 'sms');
      return d?.status === 'sent' && d;
    });
    expect(kimSms.recipient).toBe('+447911123463');
    await jobsDone(app);
    expect(smsTo('+447911123461')).toHaveLength(0);
    expect(smsTo('+447911123462')).toHaveLength(0);
    expect(smsTo('+447911123463')).toHaveLength(1);
  });

  it('counts an SMS the gateway answered 500 then 200 once against the budget', async () => {
    const usage = async () => {
      const u = app.db.reader.t.smsUsage;
      const rows = await app.db.reader.db.select().from(u).where(eq(u.month, '2026-03'));
      return rows[0]?.segments ?? 0;
    };
    // 10:00 in Paris: no quiet hours hold an SMS of another test back, to be sent (and counted)
    // when this test moves the clock; what they send goes first, and the failure is this test's.
    app.clock.set('2026-03-03T09:00:00Z');
    await jobsDone(app);
    const before = await usage();
    const uma = await newPatient('Uma', 'uma@example.org', '+447911123464');
    await uma.browser.json('PATCH', '/api/v1/me', {
      notifications: { quietHours: null },
    });
    sms.failNext(500, 1);
    await book(uma.id, '2026-03-10T10:00:00.000Z');
    const failing = await until('a failed SMS try', async () =>
      (await deliveries(uma.id)).find((d) => d.channel === 'sms' && d.lastError),
    );
    app.clock.advance(2 * 3_600_000);
    const sent = await until('the SMS retried and sent', async () => {
      const d = (await deliveries(uma.id)).find((x) => x.id === failing.id);
      return d?.status === 'sent' && d;
    });
    expect(sent.attempts).toBe(2);
    expect(sent.smsSegments).toBe(1);
    expect((await usage()) - before).toBe(1);
  });

  it('writes staff alerts wholly in the clinic’s language', async () => {
    const settings = await app.deps.clinic.get();
    await app.deps.clinic.update(systemActor, { ...settings, locale: 'fr-FR' });
    try {
      const noa = await newPatient('Noa', 'noa@example.org', '+447911123465');
      const res = await noa.browser.json('POST', '/api/v1/appointments', {
        serviceId: clinic.serviceId,
        practitionerId: clinic.practitionerIds[1],
        start: '2026-03-12T09:00:00.000Z',
      });
      expect(res.status).toBe(201);
      const alert = await until('the staff alert', async () => mailsTo('p2@clinic.example')[0]);
      expect(alert.subject).toBe('Riverside Physio : réservation en ligne');
      expect(alert.text).not.toMatch(/booking/);
    } finally {
      await app.deps.clinic.update(systemActor, settings);
    }
  });
});

describe.each(bothDialects)('SMS budget reservations on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ dialect });
  });
  afterAll(() => app?.destroy());

  it('never passes the monthly limit, however many reserve at once, and counts each delivery once', async () => {
    const budget = smsBudget({ db: app.db, clock: fixedClock('2026-07-15T12:00:00Z'), monthlyLimit: 5 });
    const now = app.clock.now();
    const ids = Array.from({ length: 20 }, (_, i) => `budget-${i}`);
    await app.db.tx((ctx) =>
      ctx.db.insert(ctx.t.deliveries).values(
        ids.map((id) => ({
          id,
          recipient: '+447911123466',
          channel: 'sms' as const,
          messageType: 'appointment-reminder',
          language: 'en',
          status: 'queued' as const,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    );
    const granted = await Promise.all(
      ids.map((id) => budget.reserve(id, 'short text', { essential: false })),
    );
    expect(granted.filter(Boolean)).toHaveLength(5);
    const u = app.db.reader.t.smsUsage;
    const [row] = await app.db.reader.db.select().from(u).where(eq(u.month, '2026-07'));
    expect(row!.segments).toBe(5);
    // A retry of one that was counted goes without counting again.
    const counted = ids[granted.indexOf(true)]!;
    expect(await budget.reserve(counted, 'short text', { essential: false })).toBe(true);
    const [again] = await app.db.reader.db.select().from(u).where(eq(u.month, '2026-07'));
    expect(again!.segments).toBe(5);
  });
});
