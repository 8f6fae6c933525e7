import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import type { SmtpSink } from '../../testing/peers/smtp-sink.ts';
import { signedInAs } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';

/*
 * The calendar pages over HTTP, the .ics of one appointment, the practitioner's secret feed, and
 * the booking email (through the job queue to a real SMTP server). Clock: Monday 2026-03-02
 * 09:00Z; the clinic is in Paris.
 */
describe('the staff calendar, calendar files and the booking email', () => {
  let sink: SmtpSink;
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let desk: TestBrowser;
  let appointmentId: string;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { staffMfa: 'optional', baseUrl: 'https://clinic.example' } });
    sink = app.smtp;
    clinic = await seedClinic(app);
    desk = await signedInAs(app, 'bo@clinic.example', { browser: { origin: 'https://clinic.example' } });
    const res = await desk.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0],
      start: '2026-03-03T08:00:00.000Z',
      patientId: clinic.patientIds[0],
    });
    appointmentId = ((await res.json()) as { appointment: { id: string } }).appointment.id;
  });
  afterAll(() => app.destroy());

  it('shows the appointment in the day and week views, in the clinic’s time zone', async () => {
    const day = await desk.text(await desk.get('/staff/calendar?view=day&date=2026-03-03'));
    expect(day).toContain('Tuesday, 3 March 2026');
    expect(day).toMatch(/<strong>09:00<\/strong> Pat1 Ient1/);
    expect(day).toContain('Book 09:30 with Dr P1');
    expect(day).not.toContain('Book 09:00 with Dr P1'); // taken
    const week = await desk.text(await desk.get('/staff/calendar?view=week&date=2026-03-05'));
    expect(week).toContain('Week of 2 Mar 2026');
    expect(week).toMatch(/<strong>09:00<\/strong> Pat1 Ient1/);
    // The week shows one practitioner (the first by default); another one's week is without it.
    const other = await desk.text(
      await desk.get(`/staff/calendar?view=week&date=2026-03-05&practitioner=${clinic.practitionerIds[1]}`),
    );
    expect(other).not.toContain('Pat1 Ient1');
    expect(other).toContain('Dr P2');
    const panel = await desk.text(
      await desk.get(`/staff/appointments/${appointmentId}`, { 'hx-request': 'true' }),
    );
    expect(panel).not.toContain('<html');
    expect(panel).toContain('Mark arrived');
    // In the clinic's time zone, which it does not spell out; the email wraps at its seams.
    expect(panel).toMatch(/<dt>When<\/dt>\s*<dd>Tuesday,? 3 March 2026(,| at) 09:00 \(30 min\)<\/dd>/);
    expect(panel).not.toContain('Central European');
    expect(panel).toContain(
      '<a href="mailto:patient1@example.org" class="email">patient1<wbr/>@example.<wbr/>org</a>',
    );
  });

  it('books from the calendar form with a new patient, and refuses a taken time in the form', async () => {
    await desk.text(
      await desk.get(
        '/staff/calendar/new?practitionerId=' + clinic.practitionerIds[0] + '&date=2026-03-03&time=10:00',
      ),
    );
    const booked = await desk.post('/staff/appointments', {
      practitionerId: clinic.practitionerIds[0]!,
      serviceId: clinic.serviceId,
      date: '2026-03-03',
      time: '10:00',
      firstName: 'Noor',
      lastName: 'Haddad',
      dateOfBirth: '1991-04-05',
      email: 'noor@example.org',
    });
    expect(booked.status).toBe(303);
    expect(booked.headers.get('location')).toMatch(
      /^\/staff\/calendar\?view=day&date=2026-03-03&notice=booked#appt-/,
    );
    const search = await desk.text(await desk.get('/staff/patients/search?q=noo'));
    expect(search).toContain('Noor Haddad (born 5 Apr 1991)');
    await desk.text(await desk.get('/staff/calendar/new'));
    const taken = await desk.post('/staff/appointments', {
      practitionerId: clinic.practitionerIds[0]!,
      serviceId: clinic.serviceId,
      date: '2026-03-03',
      time: '10:00',
      patientId: clinic.patientIds[1]!,
    });
    expect(taken.status).toBe(409);
    // Staff typed the time: the refusal says what is in the way, not that someone just took it.
    expect(await desk.text(taken)).toContain('That time overlaps another appointment of the practitioner');
  });

  it('makes one patient and one appointment of a booking with a new patient sent twice at once (a double click)', async () => {
    const form = await desk.text(
      await desk.get(
        `/staff/calendar/new?practitionerId=${clinic.practitionerIds[0]}&date=2026-03-03&time=11:00`,
      ),
    );
    const submission = /name="submission" value="([^"]+)"/.exec(form)?.[1];
    expect(submission).toBeTruthy();
    const sent = {
      practitionerId: clinic.practitionerIds[0]!,
      serviceId: clinic.serviceId,
      date: '2026-03-03',
      time: '11:00',
      firstName: 'Dara',
      lastName: 'Doubletap',
      dateOfBirth: '02/03/1984',
      email: '',
      submission: submission!,
    };
    const both = await Promise.all([
      desk.post('/staff/appointments', sent),
      desk.post('/staff/appointments', sent),
    ]);
    // One books; the other finds the time taken and shows the form again, the patient chosen.
    expect(both.map((r) => r.status).sort()).toEqual([303, 409]);
    const refused = await desk.text(both.find((r) => r.status === 409)!);
    expect(refused).toContain('Dara Doubletap (born 2 Mar 1984)');
    const found = await app.deps.patients.search(systemActor, 'Doubletap');
    expect(found).toHaveLength(1);
    const day = await desk.text(await desk.get('/staff/calendar?view=day&date=2026-03-03'));
    expect(day.match(/<strong>11:00<\/strong> Dara Doubletap/g)).toHaveLength(1);
    // The same form sent again with another patient typed in is that other patient.
    const other = await desk.post('/staff/appointments', { ...sent, time: '12:00', firstName: 'Dov' });
    expect(other.status).toBe(303);
    const twice = await app.deps.patients.search(systemActor, 'Doubletap');
    expect(twice.map((p) => p.firstName).sort()).toEqual(['Dara', 'Dov']);
  });

  it('books a weekly series from the form and names the week that was taken', async () => {
    await desk.text(await desk.get('/staff/calendar/new'));
    const res = await desk.post('/staff/appointments', {
      practitionerId: clinic.practitionerIds[0]!,
      serviceId: clinic.serviceId,
      date: '2026-02-24', // a Tuesday; the third week (3 March 09:00) is taken
      time: '09:00',
      patientId: clinic.patientIds[2]!,
      everyWeeks: '1',
      count: '4',
      confirmPast: 'on', // its first week has passed (the clock is at 2 March)
    });
    expect(res.status).toBe(303);
    const page = await desk.text(await desk.get(res.headers.get('location')!));
    expect(page).toContain('3 appointments booked. Not booked, the time was taken: Tue, 3 Mar 2026, 09:00.');
  });

  it('downloads one appointment as .ics', async () => {
    const res = await desk.get(`/staff/appointments/${appointmentId}/calendar.ics`);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await res.text();
    expect(ics).toContain(`UID:${appointmentId}@clinicbox`);
    expect(ics).toContain('DTSTART:20260303T080000Z');
    expect(ics).toContain('SUMMARY:Pat1 Ient1 — Physiotherapy');
  });

  it('gives a practitioner a secret feed with initials only; a new link kills the old one', async () => {
    const p1 = await signedInAs(app, 'p1@clinic.example', { browser: { origin: 'https://clinic.example' } });
    await p1.text(await p1.get('/staff/account'));
    const page = await p1.text(await p1.post('/staff/account/calendar-feed'));
    const url = /https:\/\/clinic\.example(\/ical\/[\w-]{43}\.ics)/.exec(page)![1]!;
    const feed = await app.http.request(url);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toContain('SUMMARY:Physiotherapy · P. I.');
    expect(ics).not.toContain('Ient1');
    await p1.post('/staff/account/calendar-feed');
    expect((await app.http.request(url)).status).toBe(404);
    expect((await app.http.request('/ical/not-a-token.ics')).status).toBe(404);
    const audit = await app.deps.audit.list({});
    expect(audit.some((r) => r.action === 'calendar-feed.read')).toBe(true);
  });

  it('emails the patient the booking with the calendar entry; the subject has no health details', async () => {
    const mail = await until('the booking email to patient 1', async () =>
      sink.messages.find((m) => m.to && JSON.stringify(m.to).includes('patient1@example.org')),
    );
    expect(mail.subject).toBe('Riverside Physio: Your appointment is booked');
    expect(mail.text).toContain('Physiotherapy with Dr P1');
    expect(mail.text).toContain('Tuesday, 3 March 2026');
    const ics = mail.attachments.find((a) => a.filename === 'appointment.ics');
    expect(ics?.content.toString()).toContain('METHOD:REQUEST');
  });

  it('offers time freed by a cancellation to the waitlist by email; booking takes the patient off it', async () => {
    const patient3 = clinic.patientIds[2]!;
    const join = await desk.json('POST', '/api/v1/waitlist', {
      patientId: patient3,
      serviceId: clinic.serviceId,
      from: '2026-03-04',
      to: '2026-03-06',
    });
    expect(join.status).toBe(201);
    const entryId = ((await join.json()) as { entry: { id: string } }).entry.id;
    const booked = await desk.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[1],
      start: '2026-03-04T13:00:00.000Z', // Wednesday 14:00 Paris
      patientId: clinic.patientIds[1],
    });
    const { appointment } = (await booked.json()) as { appointment: { id: string } };
    const before = sink.messages.length;
    await desk.json('POST', `/api/v1/appointments/${appointment.id}/cancel`, { by: 'patient' });
    const isOffer = (m: (typeof sink.messages)[number]) =>
      m.subject === 'Riverside Physio: a time has become free';
    const offer = await until('the waitlist offer', async () => sink.messages.slice(before).find(isOffer));
    expect(JSON.stringify(offer.to)).toContain('patient3@example.org');
    expect(offer.text).toContain(
      `practitionerId=${clinic.practitionerIds[1]}&start=2026-03-04T13%3A00%3A00.000Z`,
    );
    // Patient 3 books it: no longer waiting.
    expect(
      (
        await desk.json('POST', '/api/v1/appointments', {
          serviceId: clinic.serviceId,
          practitionerId: clinic.practitionerIds[1],
          start: '2026-03-04T13:00:00.000Z',
          patientId: patient3,
        })
      ).status,
    ).toBe(201);
    const waiting = ((await (await desk.get('/api/v1/waitlist')).json()) as { entries: { id: string }[] })
      .entries;
    expect(waiting.map((e) => e.id)).not.toContain(entryId);
  });
});
