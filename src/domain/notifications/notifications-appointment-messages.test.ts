import { describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { addService, savePractitionerProfile } from '../../testing/factories.ts';
import { messagesWorld } from '../../testing/messages-world.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';

/** What a booking, a reminder and a waitlist offer send, by email and SMS, and when reminders are due. */
describe.each(bothDialects)('appointment messages on %s', (dialect) => {
  const world = messagesWorld(dialect);
  const { newPatient, book, remind, deliveries, mailsTo, smsTo } = world;

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

  it('schedules a service’s own reminder offsets instead of the clinic’s', async () => {
    const { app, clinic, desk } = world;
    const mia = await newPatient('Mia');
    const service = await addService(app, { name: 'Long assessment', description: '', reminderHours: [48] });
    await savePractitionerProfile(
      app,
      clinic.practitionerIds[0]!,
      'Dr P1',
      [clinic.serviceId, service.id],
      '09:00-12:00',
    );
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
    await remind(a, mia.id, ['sms']);
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
    const { app, clinic, desk } = world;
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
});
