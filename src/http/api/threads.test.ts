import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_MESSAGES_PER_HOUR } from '../../domain/messaging/index.ts';
import { twilioSignature } from '../../notify/sms/twilio-signature.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { postFile, samplePdf, samplePng } from '../../testing/documents.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { addDependant } from '../../testing/patient-browser.ts';
import { signedInClinicStaff, signedInPatient } from '../../testing/signed-in.ts';

interface ThreadJson {
  id: string;
  patientId: string;
  subject: string;
  status: 'open' | 'closed';
  assignedTo: { id: string; name: string } | null;
  startedBy: string;
  unread: boolean;
}
interface MessageJson {
  id: string;
  threadId: string;
  author: { kind: string; id: string | null; name: string };
  text: string;
  attachments: { documentId: string; title: string }[];
}

/** Words no notification, job, log or audit row may ever carry: they are only in messages' text. */
const MARKER = 'MARKER-rash-on-left-arm';
const TWILIO_TOKEN = 'twilio-test-auth-token';
const INBOUND_SECRET = 'gateway-inbound-secret-0123';

/*
 * Issue 19, secure messaging over HTTP: a patient writes, the front desk sees it unassigned and
 * replies, the patient is told by email and SMS without the text and reads it; assignment, close
 * and reopen; the authorization walk (another patient, a guardian while the link lasts, staff
 * roles and attachments); limits (size, rate); inbound SMS (Twilio signed, the gateway's secret,
 * unknown numbers). Text never reaches a notification, a job, a log or an audit row.
 */
describe.each(bothDialects)('secure messaging, on %s', (dialect) => {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let doctor: TestBrowser;
  let desk: TestBrowser;
  let anna: { id: string; browser: TestBrowser; email: string; phone: string };
  let ben: { id: string; browser: TestBrowser };
  let made = 0;

  beforeAll(async () => {
    app = await createAppWithSinks({
      dialect,
      now: '2026-03-02T09:00:00.000Z',
      config: {
        staffMfa: 'optional',
        baseUrl: 'https://clinic.example',
        twilioAuthToken: TWILIO_TOKEN,
        smsInboundSecret: INBOUND_SECRET,
      },
    });
    clinic = await seedClinic(app, { patients: 0 });
    ({ doctor, desk } = await signedInClinicStaff(app, 'doctor', 'desk'));
    const a = await signedInPatient(app, {
      firstName: 'Anna',
      lastName: 'Lund',
      email: 'anna@example.org',
      phone: '+447911100001',
    });
    anna = { id: a.patient.id, browser: a.browser, email: 'anna@example.org', phone: '+447911100001' };
    const b = await signedInPatient(app, { firstName: 'Ben', lastName: 'Ortiz', email: 'ben@example.org' });
    ben = { id: b.patient.id, browser: b.browser };
  });
  afterAll(() => app?.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const start = async (who: TestBrowser, body: Record<string, unknown>) => {
    const res = await who.json('POST', '/api/v1/me/threads', body);
    expect(res.status, await res.clone().text()).toBe(201);
    return json<{ thread: ThreadJson; message: MessageJson }>(res);
  };
  const staffReply = async (who: TestBrowser, threadId: string, body: Record<string, unknown>) => {
    const res = await who.json('POST', `/api/v1/threads/${threadId}/messages`, body);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await json<{ message: MessageJson }>(res)).message;
  };
  const staffList = async (who: TestBrowser, query = '') => {
    const res = await who.get(`/api/v1/threads${query}`);
    expect(res.status).toBe(200);
    return (await json<{ threads: ThreadJson[] }>(res)).threads;
  };
  const myThreads = async (who: TestBrowser) => {
    const res = await who.get('/api/v1/me/threads');
    expect(res.status).toBe(200);
    return json<{ threads: ThreadJson[]; unread: number; settings: { patientsMayStart: boolean } }>(res);
  };
  const messageCount = async () =>
    (await app.db.reader.db.select().from(app.db.reader.t.threadMessages)).length;
  const newPatient = async () => {
    made++;
    const p = await signedInPatient(app, {
      firstName: 'Rita',
      lastName: `Rate${made}`,
      email: `rita-${made}@example.org`,
    });
    return { id: p.patient.id, browser: p.browser };
  };

  it('a patient writes, the front desk answers, the patient is told without the text and reads it', async () => {
    await app.deps.messaging.setStaffAlert(
      { type: 'staff', id: clinic.practitionerIds[0]! },
      { email: true },
    );
    const { thread, message } = await start(anna.browser, {
      subject: 'Can I bring my child?',
      text: `Hello, ${MARKER}. Can I bring my child?`,
    });
    expect(thread).toMatchObject({ subject: 'Can I bring my child?', status: 'open', assignedTo: null });
    expect(message).toMatchObject({
      author: { kind: 'patient', name: 'Anna Lund' },
      text: expect.stringContaining(MARKER),
    });

    // The front desk sees it unassigned and counted; the opted-in practitioner gets an email without the text.
    expect((await staffList(desk, '?status=open&assignee=unassigned')).map((t) => t.id)).toContain(thread.id);
    expect(await json(await desk.get('/api/v1/threads/unread'))).toMatchObject({ unassigned: 1, total: 1 });
    await jobsDone(app);
    const staffMail = app
      .mailsTo('p1@clinic.example')
      .find((m) => m.subject?.includes('new message from a patient'));
    expect(staffMail?.text).toContain(`https://clinic.example/staff/inbox/messages/${thread.id}`);
    expect(app.mailsTo('bo@clinic.example').filter((m) => m.subject?.includes('new message'))).toEqual([]);

    app.clock.advance(60_000);
    const reply = await staffReply(desk, thread.id, { text: `Yes of course. ${MARKER}` });
    expect(reply.author).toMatchObject({ kind: 'staff', id: clinic.receptionId });
    expect((await json<{ unassigned: number }>(await desk.get('/api/v1/threads/unread'))).unassigned).toBe(0);

    await jobsDone(app);
    const mail = app.mailsTo(anna.email).find((m) => m.subject?.includes('new message from'));
    expect(mail?.text).toContain(`https://clinic.example/app/#/messages/${thread.id}`);
    const sms = app.smsTo(anna.phone);
    expect(sms.map((r) => JSON.parse(r.body).text).join('\n')).toContain('new message from');

    const mine = await myThreads(anna.browser);
    expect(mine.unread).toBe(1);
    expect(mine.threads.find((t) => t.id === thread.id)?.unread).toBe(true);
    const detail = await json<{ thread: ThreadJson; messages: MessageJson[] }>(
      await anna.browser.get(`/api/v1/me/threads/${thread.id}`),
    );
    expect(detail.messages.map((m) => m.author.kind)).toEqual(['patient', 'staff']);
    app.clock.advance(1000);
    expect((await anna.browser.json('POST', `/api/v1/me/threads/${thread.id}/read`)).status).toBe(204);
    expect((await myThreads(anna.browser)).unread).toBe(0);

    // The patient replies; the reading was audited, with ids only.
    const res = await anna.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, {
      text: 'Thanks!',
    });
    expect(res.status).toBe(201);
    expect((await json<{ message: MessageJson }>(res)).message.text).toBe('Thanks!');
    const audit = await app.deps.audit.list({ limit: 500 });
    expect(audit.some((r) => r.action === 'thread.read' && r.entityId === thread.id)).toBe(true);
  });

  it('never puts the text in an email, an SMS, a job, a log or an audit row', async () => {
    await jobsDone(app);
    expect(app.smtp.messages.length).toBeGreaterThan(0);
    for (const m of app.smtp.messages) {
      expect(`${m.subject}\n${m.text}\n${m.html}`).not.toContain(MARKER);
    }
    expect(app.sms.requests.length).toBeGreaterThan(0);
    for (const r of app.sms.requests) expect(r.body).not.toContain(MARKER);
    const jobs = await app.db.reader.db.select().from(app.db.reader.t.jobs);
    expect(JSON.stringify(jobs)).not.toContain(MARKER);
    expect(JSON.stringify(app.logs)).not.toContain(MARKER);
    expect(JSON.stringify(await app.deps.audit.list({ limit: 1000 }))).not.toContain(MARKER);
    const deliveries = await app.db.reader.db.select().from(app.db.reader.t.deliveries);
    expect(JSON.stringify(deliveries)).not.toContain(MARKER);
  });

  it('keeps each patient to their own threads', async () => {
    const { thread } = await start(anna.browser, { subject: 'Private', text: 'Only mine' });
    expect((await myThreads(ben.browser)).threads.map((t) => t.id)).not.toContain(thread.id);
    expect((await ben.browser.get(`/api/v1/me/threads/${thread.id}`)).status).toBe(404);
    const before = await messageCount();
    expect(
      (await ben.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, { text: 'hi' })).status,
    ).toBe(404);
    expect((await ben.browser.json('POST', `/api/v1/me/threads/${thread.id}/read`)).status).toBe(404);
    // Starting a thread about someone else's record: 404, audited as refused.
    expect(
      (await ben.browser.json('POST', '/api/v1/me/threads', { subject: 'x', text: 'y', patientId: anna.id }))
        .status,
    ).toBe(404);
    expect(await messageCount()).toBe(before);
    // Patients cannot reach the staff routes; nobody signed in reaches either.
    expect((await anna.browser.get('/api/v1/threads')).status).toBe(401);
    expect((await anna.browser.get(`/api/v1/threads/${thread.id}`)).status).toBe(401);
    expect((await app.http.request('/api/v1/me/threads')).status).toBe(401);
    expect((await app.http.request(`/api/v1/threads/${thread.id}`)).status).toBe(401);
  });

  it('lets a guardian write about a dependant only while the link lasts', async () => {
    const alice = await signedInPatient(app, {
      firstName: 'Alice',
      lastName: 'Family',
      email: 'alice@example.org',
    });
    const dora = await addDependant(alice.browser, {
      firstName: 'Dora',
      lastName: 'Family',
      dateOfBirth: '2018-02-02',
    });
    const { thread, message } = await start(alice.browser, {
      subject: 'Dora’s cough',
      text: 'She coughs',
      patientId: dora,
    });
    expect(thread.patientId).toBe(dora);
    expect(message.author).toMatchObject({ kind: 'guardian', id: alice.patient.id });
    app.clock.advance(60_000);
    await staffReply(doctor, thread.id, { text: 'Bring her in' });
    expect((await myThreads(alice.browser)).threads.map((t) => t.id)).toContain(thread.id);
    expect((await alice.browser.get(`/api/v1/me/threads/${thread.id}`)).status).toBe(200);
    await jobsDone(app);
    // Dora has no address: her guardian is told.
    expect(
      app.mailsTo('alice@example.org').some((m) => m.text?.includes(`/app/#/messages/${thread.id}`)),
    ).toBe(true);

    expect((await alice.browser.json('DELETE', `/api/v1/me/access/dependents/${dora}`)).status).toBe(204);
    expect((await myThreads(alice.browser)).threads.map((t) => t.id)).not.toContain(thread.id);
    expect((await alice.browser.get(`/api/v1/me/threads/${thread.id}`)).status).toBe(404);
    expect(
      (await alice.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, { text: 'still there?' }))
        .status,
    ).toBe(404);
  });

  it('refuses a message over 5,000 characters, saying why', async () => {
    const before = await messageCount();
    const long = await anna.browser.json('POST', '/api/v1/me/threads', {
      subject: 'Long',
      text: 'x'.repeat(5001),
    });
    expect(long.status).toBe(422);
    const body = await json<{ error: { code: string; issues: { path: string; code?: string }[] } }>(long);
    expect(body.error.issues).toContainEqual(
      expect.objectContaining({ path: 'text', code: 'message_too_long' }),
    );
    expect(await messageCount()).toBe(before);
    expect(
      (await anna.browser.json('POST', '/api/v1/me/threads', { subject: 'Ok', text: 'x'.repeat(5000) }))
        .status,
    ).toBe(201);
  });

  it('assigns, closes and reopens; a patient’s reply reopens only when the clinic allows it', async () => {
    const { thread } = await start(anna.browser, { subject: 'Assign me', text: 'hi' });
    const doctorId = clinic.practitionerIds[0]!;
    const assigned = await desk.json('PATCH', `/api/v1/threads/${thread.id}`, { assignedTo: doctorId });
    expect(assigned.status).toBe(200);
    expect((await json<{ thread: ThreadJson }>(assigned)).thread.assignedTo?.id).toBe(doctorId);
    expect((await staffList(doctor, '?assignee=me')).map((t) => t.id)).toContain(thread.id);
    expect((await staffList(desk, '?assignee=me')).map((t) => t.id)).not.toContain(thread.id);
    expect((await staffList(desk, '?assignee=unassigned')).map((t) => t.id)).not.toContain(thread.id);

    const closed = await doctor.json('PATCH', `/api/v1/threads/${thread.id}`, { status: 'closed' });
    expect((await json<{ thread: ThreadJson }>(closed)).thread.status).toBe('closed');
    expect((await staffList(doctor, '?status=closed')).map((t) => t.id)).toContain(thread.id);
    // Default: the patient's reply opens it again.
    expect(
      (await anna.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, { text: 'again' })).status,
    ).toBe(201);
    expect(
      (await json<{ thread: ThreadJson }>(await doctor.get(`/api/v1/threads/${thread.id}`))).thread.status,
    ).toBe('open');

    const adminActor = { type: 'staff' as const, id: clinic.adminId };
    await app.deps.messaging.changeSettings(adminActor, {
      patientsMayStart: false,
      replyWithinDays: 3,
      reopenOnReply: false,
    });
    try {
      await doctor.json('PATCH', `/api/v1/threads/${thread.id}`, { status: 'closed' });
      const refused = await anna.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, {
        text: 'no',
      });
      expect(refused.status).toBe(409);
      expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('thread_closed');
      const noStart = await anna.browser.json('POST', '/api/v1/me/threads', { subject: 'New', text: 'new' });
      expect(noStart.status).toBe(403);
      expect((await json<{ error: { code: string } }>(noStart)).error.code).toBe(
        'patients_cannot_start_threads',
      );
      expect((await myThreads(anna.browser)).settings).toEqual({
        patientsMayStart: false,
        replyWithinDays: 3,
      });
      // Staff may still reopen.
      const reopened = await doctor.json('PATCH', `/api/v1/threads/${thread.id}`, { status: 'open' });
      expect((await json<{ thread: ThreadJson }>(reopened)).thread.status).toBe('open');
    } finally {
      await app.deps.messaging.changeSettings(adminActor, {
        patientsMayStart: true,
        replyWithinDays: 2,
        reopenOnReply: true,
      });
    }
    // Only settings.manage changes the settings.
    await expect(
      app.deps.messaging.changeSettings(
        { type: 'staff', id: clinic.receptionId },
        { patientsMayStart: true, replyWithinDays: 2, reopenOnReply: true },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets staff start a thread from the chart, assigned to them', async () => {
    const res = await doctor.json('POST', `/api/v1/patients/${ben.id}/threads`, {
      subject: 'Your results',
      text: 'Please call us',
    });
    expect(res.status).toBe(201);
    const { thread, message } = await json<{ thread: ThreadJson; message: MessageJson }>(res);
    expect(thread).toMatchObject({
      patientId: ben.id,
      startedBy: 'staff',
      assignedTo: { id: clinic.practitionerIds[0] },
    });
    expect(message.author.kind).toBe('staff');
    expect((await myThreads(ben.browser)).threads.find((t) => t.id === thread.id)?.unread).toBe(true);
    expect(
      (await doctor.json('POST', '/api/v1/patients/no-such-patient/threads', { subject: 's', text: 't' }))
        .status,
    ).toBe(404);
    expect((await staffList(desk, `?patientId=${ben.id}`)).map((t) => t.id)).toEqual([thread.id]);
  });

  it('attaches documents the author may see, and only those', async () => {
    const up = await postFile(app, anna.browser, '/api/v1/me/documents', {
      name: 'rash.png',
      bytes: samplePng(),
    });
    expect(up.status).toBe(201);
    const photo = (await json<{ document: { id: string } }>(up)).document.id;
    const { thread, message } = await start(anna.browser, {
      subject: 'A rash',
      text: 'See photo',
      documentIds: [photo],
    });
    expect(message.attachments.map((a) => a.documentId)).toEqual([photo]);
    // Ben cannot attach Anna's photo to his own thread.
    const bens = await start(ben.browser, { subject: 'Mine', text: 'hello' });
    const refused = await ben.browser.json('POST', `/api/v1/me/threads/${bens.thread.id}/messages`, {
      text: 'steal',
      documentIds: [photo],
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('attachment_not_found');

    // A clinical document the doctor attaches: shared with the patient; the front desk does not see it.
    const lab = await app.deps.documents.upload({ type: 'staff', id: clinic.practitionerIds[0]! }, anna.id, {
      file: Readable.from([samplePdf('lab result')]),
      fileName: 'lab.pdf',
      fields: { category: 'lab-result' },
    });
    expect(lab.sharedWithPatient).toBe(false);
    app.clock.advance(60_000);
    const sent = await staffReply(doctor, thread.id, { text: 'Your result', documentIds: [lab.id] });
    expect(sent.attachments.map((a) => a.documentId)).toEqual([lab.id]);
    const seen = await json<{ messages: MessageJson[] }>(
      await anna.browser.get(`/api/v1/me/threads/${thread.id}`),
    );
    expect(seen.messages.at(-1)?.attachments.map((a) => a.documentId)).toEqual([lab.id]);
    expect((await anna.browser.get(`/api/v1/me/documents/${lab.id}/content`)).status).toBe(200);
    const atDesk = await json<{ messages: MessageJson[] }>(await desk.get(`/api/v1/threads/${thread.id}`));
    expect(atDesk.messages.at(-1)?.attachments).toEqual([]);
    expect(atDesk.messages[0]?.attachments.map((a) => a.documentId)).toEqual([photo]);
    // The front desk cannot attach it either.
    expect(
      (await desk.json('POST', `/api/v1/threads/${thread.id}/messages`, { text: 'x', documentIds: [lab.id] }))
        .status,
    ).toBe(422);
  });

  it('keeps quick replies to admins to edit, for every member to use', async () => {
    const adminActor = { type: 'staff' as const, id: clinic.adminId };
    const deskActor = { type: 'staff' as const, id: clinic.receptionId };
    const made = await app.deps.messaging.quickReplies.create(adminActor, {
      title: 'Opening hours',
      text: 'We are open 8–18.',
    });
    await expect(
      app.deps.messaging.quickReplies.create(deskActor, { title: 'x', text: 'y' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect((await app.deps.messaging.quickReplies.list(deskActor)).map((q) => q.title)).toContain(
      'Opening hours',
    );
    const changed = await app.deps.messaging.quickReplies.update(adminActor, made.id, {
      title: 'Hours',
      text: 'We are open 8–19.',
    });
    expect(changed).toMatchObject({ title: 'Hours', text: 'We are open 8–19.' });
    await expect(
      app.deps.messaging.quickReplies.update(adminActor, made.id, { title: '', text: 'y' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await app.deps.messaging.quickReplies.remove(adminActor, made.id);
    expect((await app.deps.messaging.quickReplies.list(deskActor)).map((q) => q.id)).not.toContain(made.id);
    await expect(app.deps.messaging.quickReplies.remove(adminActor, made.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    // A member's email choice is their own, off until they turn it on.
    expect(await app.deps.messaging.staffAlert(deskActor)).toEqual({ email: false });
    expect(await app.deps.messaging.setStaffAlert(deskActor, { email: true })).toEqual({ email: true });
    await app.deps.messaging.setStaffAlert(deskActor, { email: false });
  });

  describe('inbound SMS', () => {
    const twilio = (params: Record<string, string>, signature?: string) =>
      app.http.request('/webhooks/sms/twilio', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature':
            signature ?? twilioSignature(TWILIO_TOKEN, 'https://clinic.example/webhooks/sms/twilio', params),
        },
        body: new URLSearchParams(params).toString(),
      });

    it('puts a signed Twilio SMS from a patient’s phone in their latest open thread, once', async () => {
      app.clock.advance(60_000);
      const { thread } = await start(anna.browser, { subject: 'Latest', text: 'latest open' });
      const params = { MessageSid: 'SM0001', From: anna.phone, To: '+15005550006', Body: 'Running late' };
      const res = await twilio(params);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/xml');
      expect((await twilio(params)).status).toBe(200); // Twilio's retry
      const detail = await json<{ messages: MessageJson[] }>(await desk.get(`/api/v1/threads/${thread.id}`));
      expect(detail.messages.filter((m) => m.text === 'Running late').map((m) => m.author.kind)).toEqual([
        'sms',
      ]);
    });

    it('refuses a wrong signature with 403 and stores nothing', async () => {
      const before = await messageCount();
      const params = { MessageSid: 'SM0002', From: anna.phone, Body: 'forged' };
      expect((await twilio(params, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).status).toBe(403);
      // Signed for other parameters: refused too.
      const signed = twilioSignature(TWILIO_TOKEN, 'https://clinic.example/webhooks/sms/twilio', {
        ...params,
        Body: 'x',
      });
      expect((await twilio(params, signed)).status).toBe(403);
      expect((await twilio({ ...params, From: '+447000000999' }, '')).status).toBe(403);
      expect(await messageCount()).toBe(before);
      expect(
        (await app.deps.messaging.listUnmatched({ type: 'staff', id: clinic.receptionId })).map(
          (s) => s.text,
        ),
      ).not.toContain('forged');
    });

    it('lists an SMS from an unknown number for staff, who assign it to a patient', async () => {
      expect(
        (await twilio({ MessageSid: 'SM0003', From: '+447700900123', Body: 'Who is this?' })).status,
      ).toBe(200);
      const deskActor = { type: 'staff' as const, id: clinic.receptionId };
      const unmatched = await app.deps.messaging.listUnmatched(deskActor);
      const sms = unmatched.find((s) => s.text === 'Who is this?');
      expect(sms?.fromPhone).toBe('+447700900123');
      const { thread, message } = await app.deps.messaging.assignUnmatched(deskActor, sms!.id, {
        patientId: ben.id,
      });
      expect(thread.patientId).toBe(ben.id);
      expect(message.authorKind).toBe('sms');
      expect((await app.deps.messaging.listUnmatched(deskActor)).map((s) => s.id)).not.toContain(sms!.id);
    });

    it('takes the HTTP gateway’s SMS with the shared secret only; a new thread when none is open', async () => {
      const post = (secret: string, body: unknown) =>
        app.http.request('/webhooks/sms/http', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-clinicbox-secret': secret },
          body: JSON.stringify(body),
        });
      const before = await messageCount();
      expect((await post('wrong-secret-wrong-secret', { from: anna.phone, text: 'nope' })).status).toBe(403);
      expect(await messageCount()).toBe(before);
      const rita = await signedInPatient(app, {
        firstName: 'Rita',
        lastName: 'Phone',
        phone: '+447911100077',
      });
      const res = await post(INBOUND_SECRET, { from: '+44 7911 100077', text: 'Yes, confirmed', id: 'gw-1' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ outcome: 'thread' });
      const threads = await app.deps.messaging.list(
        { type: 'staff', id: clinic.receptionId },
        { patientId: rita.patient.id },
      );
      expect(threads.map((t) => [t.subject, t.startedBy])).toEqual([['SMS reply', 'sms']]);
    });
  });
  // Last: it moves the clock an hour on (staff sessions end).
  it('refuses a patient past 20 messages an hour, and takes them again an hour later', async () => {
    const rita = await newPatient();
    const { thread } = await start(rita.browser, { subject: 'Many', text: '1' });
    // Sent all at once (the count is taken under the patient's lock): exactly the limit goes through.
    const statuses = await Promise.all(
      Array.from({ length: PATIENT_MESSAGES_PER_HOUR + 4 }, (_, i) =>
        rita.browser
          .json('POST', `/api/v1/me/threads/${thread.id}/messages`, { text: String(i) })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201).length).toBe(PATIENT_MESSAGES_PER_HOUR - 1);
    expect(statuses.filter((s) => s === 429).length).toBe(5);
    const over = await rita.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, {
      text: 'one more',
    });
    expect(over.status).toBe(429);
    expect((await json<{ error: { code: string } }>(over)).error.code).toBe('messages_rate_limited');
    app.clock.advance(3_600_000 + 1000);
    expect(
      (await rita.browser.json('POST', `/api/v1/me/threads/${thread.id}/messages`, { text: 'later' })).status,
    ).toBe(201);
  });
  it('erases a patient’s threads and messages with their record (messages count as clinical content)', async () => {
    const gone = await newPatient();
    const { thread } = await start(gone.browser, { subject: 'Bye', text: 'erase me' });
    await app.deps.messaging.markOwnRead({ type: 'patient', id: gone.id }, thread.id);
    const step = app.deps.patientErasure.steps().find((s) => s.area === 'messaging')!;
    expect(await step.clinical!(app.db.reader, gone.id)).toEqual({ messages: 1 });
    const counts = await app.db.tx((ctx) => step.erase(ctx, gone.id, { objects: [] }));
    expect(counts).toEqual({ threads: 1, messages: 1 });
    const t = app.db.reader.t;
    const left = async (table: typeof t.threadReads | typeof t.messageThreads) =>
      (await app.db.reader.db.select().from(table)).filter((r) => JSON.stringify(r).includes(thread.id));
    expect(await left(t.messageThreads)).toEqual([]);
    expect(await left(t.threadReads)).toEqual([]);
    expect(await step.count(app.db.reader, gone.id)).toEqual({ threads: 0, messages: 0 });
  });
});
