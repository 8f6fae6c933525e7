import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import type { SmsSink } from '../../testing/peers/sms-sink.ts';
import { setPatientColumns, signedInPatient } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';
import { SEND_MESSAGE } from './notifier.ts';

/*
 * What is decided when a message is sent rather than when it was queued: quiet hours against the
 * appointment's start, consent and address read again, the SMS budget counted once.
 */

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
    await setPatientColumns(app, kim.id, { phone: '+447911123463' });
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
