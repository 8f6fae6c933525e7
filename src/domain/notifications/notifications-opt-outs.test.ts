import { describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { messagesWorld } from '../../testing/messages-world.ts';
import { signedInAs } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';

/** Who asked for fewer messages gets fewer: a patient's channels, an unsubscribe click, staff alerts off. */
describe.each(bothDialects)('opting out of messages on %s', (dialect) => {
  const world = messagesWorld(dialect);
  const { newPatient, book, deliveries, mailsTo } = world;

  it('honours the patient’s channels: SMS off means no SMS; GET /me shows it, old fields too', async () => {
    const { app } = world;
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
    const { app, clinic } = world;
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
    const { app } = world;
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
});
