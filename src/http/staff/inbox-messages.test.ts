import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { signedInAs, signedInPatient } from '../../testing/signed-in.ts';

/*
 * The staff Inbox's messages (issue 19) through the pages: a patient's message shows in the
 * Messages tabs and the navigation badge; the thread page escapes the text (links only), shows
 * the next appointment beside it, replies, assigns, closes and reopens; bad input and a missing
 * CSRF token change nothing; settings and quick replies are for settings.manage only.
 */
describe.each(bothDialects)('staff inbox messages on %s', (dialect) => {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let desk: TestBrowser;
  let threadId: string;
  let patientId: string;
  const HOSTILE = 'Rash since <script>alert(1)</script> see https://example.org/pic?a=1&b=2';

  beforeEach(async () => {
    app = await createAppWithSinks({ dialect, config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app);
    desk = await signedInAs(app, 'bo@clinic.example');
    const { patient, browser } = await signedInPatient(app, {
      firstName: 'Mia',
      lastName: 'Stone',
      email: 'mia@example.org',
    });
    patientId = patient.id;
    const res = await browser.json('POST', '/api/v1/me/threads', {
      subject: 'Can I bring my child?',
      text: HOSTILE,
    });
    expect(res.status).toBe(201);
    threadId = ((await res.json()) as { thread: { id: string } }).thread.id;
  });
  afterEach(() => app?.destroy());

  const messagesOf = async () =>
    (await app.deps.messaging.read({ type: 'staff', id: clinic.adminId }, threadId)).messages;

  it('lists the thread as unassigned with the badge, and the thread page escapes the text', async () => {
    const badge = await desk.text(await desk.get('/staff/inbox/messages/badge'));
    expect(badge).toContain('>1<');
    const tab = await desk.text(await desk.get('/staff/inbox/messages?tab=unassigned'));
    expect(tab).toContain('Can I bring my child?');
    expect(tab).toContain(`href="/staff/inbox/messages/${threadId}"`);
    expect(tab).toContain('hx-trigger="every 10s"');
    const inboxSection = await desk.text(await desk.get('/staff/inbox/messages/section'));
    expect(inboxSection).toContain('Can I bring my child?');

    const page = await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain(
      '<a href="https://example.org/pic?a=1&amp;b=2" rel="noopener noreferrer nofollow"',
    );
    expect(page).toContain(`href="/staff/patients/${patientId}"`);
    expect(page).toContain('Next appointment');
    // Opened: read, so the badge no longer counts it.
    expect(await desk.text(await desk.get('/staff/inbox/messages/badge'))).not.toContain('class="badge"');
  });

  it('replies, assigns to me, closes and reopens; bad input and a missing CSRF token change nothing', async () => {
    await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    const empty = await desk.post(`/staff/inbox/messages/${threadId}/reply`, { text: '   ' });
    expect(empty.status).toBe(422);
    expect(await messagesOf()).toHaveLength(1);
    const tooLong = await desk.post(`/staff/inbox/messages/${threadId}/reply`, { text: 'x'.repeat(5001) });
    expect(tooLong.status).toBe(422);
    expect(await messagesOf()).toHaveLength(1);
    const noCsrf = await desk.post(`/staff/inbox/messages/${threadId}/reply`, {
      text: 'Yes',
      _csrf: 'wrong',
    });
    expect(noCsrf.status).toBe(403);
    expect(await messagesOf()).toHaveLength(1);

    await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    const sent = await desk.post(`/staff/inbox/messages/${threadId}/reply`, { text: 'Yes, of course.' });
    expect(sent.status).toBe(303);
    // Sorted: the test clock stands still, so both messages carry the same time.
    expect((await messagesOf()).map((m) => m.text).sort()).toEqual([HOSTILE, 'Yes, of course.'].sort());

    await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    expect((await desk.post(`/staff/inbox/messages/${threadId}/assign`, { assignee: 'me' })).status).toBe(
      303,
    );
    const mine = await desk.text(await desk.get('/staff/inbox/messages?tab=mine'));
    expect(mine).toContain('Can I bring my child?');
    expect(mine).toContain('Bo Reception');

    await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    expect((await desk.post(`/staff/inbox/messages/${threadId}/close`)).status).toBe(303);
    const closed = await desk.text(await desk.get('/staff/inbox/messages?tab=closed'));
    expect(closed).toContain('Can I bring my child?');
    expect(await desk.text(await desk.get('/staff/inbox/messages?tab=mine'))).not.toContain(
      'Can I bring my child?',
    );
    await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    expect((await desk.post(`/staff/inbox/messages/${threadId}/reopen`)).status).toBe(303);
    expect(await desk.text(await desk.get('/staff/inbox/messages?tab=mine'))).toContain(
      'Can I bring my child?',
    );
  });

  it('starts a thread from the chart', async () => {
    const chart = await desk.text(await desk.get(`/staff/patients/${patientId}`));
    expect(chart).toContain(`href="/staff/inbox/messages/new?patient=${patientId}"`);
    await desk.text(await desk.get(`/staff/inbox/messages/new?patient=${patientId}`));
    // Without a patient from the chart: the page searches for one; posting none changes nothing.
    expect(await desk.text(await desk.get('/staff/inbox/messages/new'))).toContain(
      'hx-get="/staff/patients/search"',
    );
    expect((await desk.post('/staff/inbox/messages/new', { subject: 'Hi', text: 'Hello' })).status).toBe(422);
    await desk.text(await desk.get(`/staff/inbox/messages/new?patient=${patientId}`));
    const bad = await desk.post('/staff/inbox/messages/new', { patientId, subject: '', text: 'Hello' });
    expect(bad.status).toBe(422);
    const res = await desk.post('/staff/inbox/messages/new', {
      patientId,
      subject: 'Your results',
      text: 'All fine.',
    });
    expect(res.status).toBe(303);
    const threads = await app.deps.messaging.list({ type: 'staff', id: clinic.receptionId }, { patientId });
    expect(threads.map((t) => t.subject).sort()).toEqual(['Can I bring my child?', 'Your results']);
  });

  it('keeps settings and quick replies to settings.manage; a quick reply shows in the reply box', async () => {
    expect((await desk.get('/staff/settings/patient-messages')).status).toBe(403);
    await desk.text(await desk.get('/staff'));
    expect(
      (await desk.post('/staff/settings/patient-messages/quick-replies', { title: 'x', text: 'y' })).status,
    ).toBe(403);

    const admin = await signedInAs(app, 'ada@clinic.example');
    await admin.text(await admin.get('/staff/settings/patient-messages'));
    const bad = await admin.post('/staff/settings/patient-messages/quick-replies', { title: '', text: 'Hi' });
    expect(bad.status).toBe(422);
    expect(await app.deps.messaging.quickReplies.list({ type: 'staff', id: clinic.adminId })).toHaveLength(0);
    await admin.text(await admin.get('/staff/settings/patient-messages'));
    const ok = await admin.post('/staff/settings/patient-messages/quick-replies', {
      title: 'Opening hours',
      text: 'We are open <b>9–17</b>.',
    });
    expect(ok.status).toBe(303);
    await admin.text(await admin.get('/staff/settings/patient-messages'));
    const saved = await admin.post('/staff/settings/patient-messages', {
      replyWithinDays: '3',
      reopenOnReply: 'on',
    });
    expect(saved.status).toBe(303);
    expect(await app.deps.messaging.settings()).toEqual({
      patientsMayStart: false,
      replyWithinDays: 3,
      reopenOnReply: true,
    });

    const page = await desk.text(await desk.get(`/staff/inbox/messages/${threadId}`));
    expect(page).toContain('data-text="We are open &lt;b&gt;9–17&lt;/b&gt;."');
    expect(page).toContain('within 3 working days');
  });

  it('saves the member’s own email opt-in from the account page', async () => {
    expect(await desk.text(await desk.get('/staff/account'))).toContain('name="messageEmails"');
    expect((await desk.post('/staff/account/message-alerts', { messageEmails: 'on' })).status).toBe(303);
    expect(await app.deps.messaging.staffAlert({ type: 'staff', id: clinic.receptionId })).toEqual({
      email: true,
    });
  });
  it('lists an SMS from an unknown number and assigns it to the patient searched for', async () => {
    expect(
      await app.deps.messaging.receiveSms({
        provider: 'http',
        from: '+447700900999',
        text: 'Running <i>late</i>',
      }),
    ).toBe('unmatched');
    const list = await desk.text(await desk.get('/staff/inbox/messages/unmatched'));
    expect(list).toContain('+447700900999');
    expect(list).toContain('Running &lt;i&gt;late&lt;/i&gt;');
    const smsId = /unmatched\/([^/]+)\/assign/.exec(list)![1]!;
    const found = await desk.text(await desk.get('/staff/patients/search?q=Mia'));
    expect(found).toContain(`value="${patientId}"`);
    // No patient chosen: refused, nothing moves.
    await desk.text(await desk.get('/staff/inbox/messages/unmatched'));
    expect((await desk.post(`/staff/inbox/messages/unmatched/${smsId}/assign`, {})).status).toBe(422);
    expect(await messagesOf()).toHaveLength(1);
    await desk.text(await desk.get('/staff/inbox/messages/unmatched'));
    const res = await desk.post(`/staff/inbox/messages/unmatched/${smsId}/assign`, { patientId });
    expect(res.status).toBe(303);
    expect((await messagesOf()).map((m) => m.text)).toContain('Running <i>late</i>');
    expect(await desk.text(await desk.get('/staff/inbox/messages/unmatched'))).not.toContain('+447700900999');
  });
});
