import type { Context } from 'hono';
import { Hono } from 'hono';
import { DateTime } from 'luxon';
import {
  InboxMessagesSection,
  MESSAGE_TABS,
  MessagesPage,
  type MessageTab,
  ThreadList,
  type ThreadRowView,
} from '../../../views/pages/staff/messages/messages-page.tsx';
import { NewThreadPage, UnmatchedPage } from '../../../views/pages/staff/messages/new-thread-page.tsx';
import {
  type MessageItemView,
  ThreadMessages,
  ThreadPage,
} from '../../../views/pages/staff/messages/thread-page.tsx';
import { can } from '../../domain/accounts/index.ts';
import type { MessageView, ThreadSummary } from '../../domain/messaging/index.ts';
import { AppError } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { bannerOf } from './patients-record.tsx';

/**
 * `/staff/inbox/messages` (issue 19): the Inbox's messages — the tabs (mine, unassigned, closed),
 * the section the Inbox page loads, the navigation's unread badge, one thread (the staff
 * notification email links to `/staff/inbox/messages/:threadId`) with reply, quick replies,
 * attachments from the chart, assign, close and reopen; a thread started from the chart; SMS from
 * unknown numbers. Every read and change goes through deps.messaging, which checks the role again
 * and audits.
 */
export function staffInboxMessagesRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const clinicZone = async () => (await deps.clinic.get()).timeZone;
  const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL, HH:mm');
  const rowOf = (t: ThreadSummary, zone: string): ThreadRowView => ({
    id: t.id,
    patientId: t.patientId,
    patient: t.patientName,
    subject: t.subject,
    assignee: t.assignedTo?.name ?? 'Front desk',
    last: at(t.lastMessageAt, zone),
    unread: t.unread,
    status: t.status,
  });
  const tabOf = (c: Context<AppEnv>): MessageTab => {
    const tab = c.req.query('tab');
    return (MESSAGE_TABS as readonly string[]).includes(tab ?? '') ? (tab as MessageTab) : 'mine';
  };
  const listTab = (c: Context<AppEnv>, tab: MessageTab) =>
    deps.messaging.list(
      actorOf(c),
      tab === 'closed'
        ? { status: 'closed' }
        : { status: 'open', assignee: tab === 'mine' ? 'me' : 'unassigned' },
    );
  const unmatchedCount = async (c: Context<AppEnv>) =>
    (await deps.messaging.listUnmatched(actorOf(c), 200)).length;

  app.get('/', authorize('patients.read'), async (c) => {
    const tab = tabOf(c);
    const [threads, counts, unmatched, zone] = await Promise.all([
      listTab(c, tab),
      deps.messaging.unread(actorOf(c)),
      unmatchedCount(c),
      clinicZone(),
    ]);
    const notice =
      c.req.query('notice') === 'sms-assigned'
        ? 'The text message was added to the patient’s thread.'
        : undefined;
    return c.html(
      MessagesPage({
        nav: kit.nav(c),
        tab,
        counts,
        threads: threads.map((t) => rowOf(t, zone)),
        unmatched,
        notice,
      }),
    );
  });

  // The tab's list again (htmx polling every 10 s).
  app.get('/list', authorize('patients.read'), async (c) => {
    const tab = tabOf(c);
    const [threads, zone] = await Promise.all([listTab(c, tab), clinicZone()]);
    return c.html(<ThreadList tab={tab} threads={threads.map((t) => rowOf(t, zone))} />);
  });

  // The Inbox page's Messages section (loaded by htmx, then polled); nothing for roles without patients.read.
  app.get('/section', authorize('staff'), async (c) => {
    if (!can(c.get('staff')!.account.role, 'patients.read')) return c.html('');
    const actor = actorOf(c);
    const [mine, unassigned, counts, unmatched, zone] = await Promise.all([
      deps.messaging.list(actor, { status: 'open', assignee: 'me', limit: 20 }),
      deps.messaging.list(actor, { status: 'open', assignee: 'unassigned', limit: 20 }),
      deps.messaging.unread(actor),
      unmatchedCount(c),
      clinicZone(),
    ]);
    return c.html(
      <InboxMessagesSection
        counts={counts}
        waiting={[...mine, ...unassigned].map((t) => rowOf(t, zone))}
        unmatched={unmatched}
      />,
    );
  });

  // The navigation's Inbox badge: threads with a patient message I have not read (one indexed count).
  app.get('/badge', authorize('staff'), async (c) => {
    c.header('Cache-Control', 'no-store');
    if (!can(c.get('staff')!.account.role, 'patients.read')) return c.html('');
    const { total } = await deps.messaging.unread(actorOf(c));
    return c.html(
      total > 0 ? (
        <span class="badge" title={`${total} unread message threads`}>
          {total}
          <span class="visually-hidden"> unread messages</span>
        </span>
      ) : (
        ''
      ),
    );
  });

  // ---- SMS from unknown numbers (before '/:threadId')
  const unmatchedPage = async (c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}) => {
    const [rows, zone] = await Promise.all([deps.messaging.listUnmatched(actorOf(c), 100), clinicZone()]);
    return c.html(
      UnmatchedPage({
        nav: kit.nav(c),
        rows: rows.map((r) => ({
          id: r.id,
          from: r.fromPhone,
          text: r.text,
          at: at(new Date(r.receivedAt).toISOString(), zone),
        })),
        canWrite: can(c.get('staff')!.account.role, 'patients.write'),
        ...extra,
      }),
      extra.error ? 422 : 200,
    );
  };
  app.get('/unmatched', authorize('patients.read'), (c) => unmatchedPage(c));
  app.post('/unmatched/:smsId/assign', authorize('patients.write'), async (c) => {
    const patientId = (await readForm(c)).text('patientId');
    if (!patientId)
      return unmatchedPage(c, { error: 'Search for the patient, then choose them in the list.' });
    const { thread } = await deps.messaging.assignUnmatched(actorOf(c), c.req.param('smsId'), { patientId });
    return redirect(c, `/staff/inbox/messages/${thread.id}?notice=sms-assigned`);
  });

  // ---- A thread started from the chart
  const patientName = async (c: Context<AppEnv>, id: string) => {
    const p = await deps.patients.get(actorOf(c), id);
    return { id: p.id, name: `${p.firstName} ${p.lastName}` };
  };
  app.get('/new', authorize('patients.write'), async (c) => {
    const id = c.req.query('patient');
    const patient = id ? await patientName(c, id) : null;
    return c.html(NewThreadPage({ nav: kit.nav(c), patient, subject: '', text: '' }));
  });
  app.post('/new', authorize('patients.write'), async (c) => {
    const form = await readForm(c);
    if (!form.text('patientId')) {
      const typed = { subject: form.text('subject'), text: form.text('text') };
      const error = 'Search for the patient, then choose them in the list.';
      return c.html(NewThreadPage({ nav: kit.nav(c), patient: null, ...typed, error }), 422);
    }
    const patient = await patientName(c, form.text('patientId'));
    const typed = { subject: form.text('subject'), text: form.text('text') };
    try {
      const { thread } = await deps.messaging.start(actorOf(c), patient.id, typed);
      return redirect(c, `/staff/inbox/messages/${thread.id}?notice=sent`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      return c.html(NewThreadPage({ nav: kit.nav(c), patient, ...typed, error: messageOf(error) }), 422);
    }
  });

  // ---- One thread
  const messageViews = (messages: MessageView[], patientId: string, zone: string): MessageItemView[] =>
    messages.map((m) => ({
      id: m.id,
      author:
        m.author.kind === 'sms'
          ? `${m.author.name} (SMS)`
          : m.author.kind === 'guardian'
            ? `${m.author.name} (guardian)`
            : m.author.name,
      fromClinic: m.author.kind === 'staff',
      at: at(m.createdAt, zone),
      text: m.text,
      attachments: m.attachments.map((a) => ({
        href: `/staff/patients/${patientId}/documents/${a.documentId}`,
        title: a.title,
        size: sizeOf(a.size),
      })),
    }));

  const threadPage = async (
    c: Context<AppEnv>,
    extra: { text?: string; error?: string; notice?: string } = {},
  ) => {
    const actor = actorOf(c);
    const { account } = c.get('staff')!;
    const threadId = c.req.param('threadId')!;
    const detail = await deps.messaging.read(actor, threadId);
    const t = detail.thread;
    const canWrite = can(account.role, 'patients.write');
    const [zone, alerts, appointments, quickReplies, documents, members, settings] = await Promise.all([
      clinicZone(),
      deps.patients.alerts(actor, t.patientId),
      deps.appointments.listOfPatient(actor, t.patientId),
      deps.messaging.quickReplies.list(actor),
      canWrite ? deps.documents.list(actor, t.patientId).catch(() => []) : Promise.resolve([]),
      deps.staff.accounts.list(),
      deps.messaging.settings(),
    ]);
    // Opening the thread reads it up to now (the Inbox and the badge stop counting it).
    await deps.messaging.markRead(actor, threadId);
    const now = deps.clock.now().getTime();
    const next = appointments
      .filter((a) => Date.parse(a.start) >= now && a.status !== 'cancelled')
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
    return c.html(
      ThreadPage({
        nav: kit.nav(c),
        thread: {
          id: t.id,
          subject: t.subject,
          status: t.status,
          assignee: t.assignedTo?.name ?? 'Front desk',
          assignedTo: t.assignedTo?.id ?? null,
          patient: { id: t.patientId, name: t.patientName },
        },
        messages: messageViews(detail.messages, t.patientId, zone),
        nextAppointment: next
          ? {
              when: DateTime.fromISO(next.start, { zone }).toFormat('ccc d LLL yyyy, HH:mm'),
              service: next.service,
            }
          : null,
        alerts: bannerOf(alerts),
        quickReplies: quickReplies.map((q) => ({ id: q.id, title: q.title, text: q.text })),
        documents: documents.map((d) => ({ id: d.id, title: d.title })),
        members: members
          .filter((m) => m.status === 'active' && can(m.role, 'patients.read'))
          .map((m) => ({ id: m.id, name: m.name })),
        meId: account.id,
        canWrite,
        replyWithinDays: settings.replyWithinDays,
        notice: extra.notice ?? threadNotices[c.req.query('notice') ?? ''],
        ...(extra.text === undefined ? {} : { text: extra.text }),
        error: extra.error,
      }),
      extra.error ? 422 : 200,
    );
  };

  app.get('/:threadId', authorize('patients.read'), (c) => threadPage(c));

  // The thread's messages again (htmx polling every 10 s); what the member sees is read.
  app.get('/:threadId/messages', authorize('patients.read'), async (c) => {
    const actor = actorOf(c);
    const threadId = c.req.param('threadId');
    const [detail, zone] = await Promise.all([deps.messaging.read(actor, threadId), clinicZone()]);
    await deps.messaging.markRead(actor, threadId);
    return c.html(
      <ThreadMessages
        threadId={threadId}
        messages={messageViews(detail.messages, detail.thread.patientId, zone)}
      />,
    );
  });

  app.post('/:threadId/reply', authorize('patients.write'), async (c) => {
    const form = await readForm(c);
    const text = form.text('text');
    const documentIds = form.list('documentIds').filter(Boolean);
    try {
      await deps.messaging.reply(actorOf(c), c.req.param('threadId'), {
        text,
        ...(documentIds.length ? { documentIds } : {}),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      return threadPage(c, { text, error: messageOf(error) });
    }
    return redirect(c, `/staff/inbox/messages/${c.req.param('threadId')}?notice=sent#h-reply`);
  });

  app.post('/:threadId/assign', authorize('patients.write'), async (c) => {
    const actor = actorOf(c);
    const choice = (await readForm(c)).text('assignee');
    const assignedTo =
      choice === 'me' ? c.get('staff')!.account.id : choice === 'desk' || choice === '' ? null : choice;
    await deps.messaging.change(actor, c.req.param('threadId'), { assignedTo });
    return redirect(c, `/staff/inbox/messages/${c.req.param('threadId')}?notice=assigned`);
  });

  for (const [action, status] of [
    ['close', 'closed'],
    ['reopen', 'open'],
  ] as const) {
    app.post(`/:threadId/${action}`, authorize('patients.write'), async (c) => {
      await deps.messaging.change(actorOf(c), c.req.param('threadId'), { status });
      return redirect(c, `/staff/inbox/messages/${c.req.param('threadId')}?notice=${status}`);
    });
  }
  return app;
}

const threadNotices: Record<string, string> = {
  sent: 'Sent. The patient is told a message waits (never its text).',
  assigned: 'Assigned.',
  closed: 'The thread is closed. A reply opens it again.',
  open: 'The thread is open again.',
  'sms-assigned': 'The text message was added to this patient’s thread.',
};

/** A refusal's words for the form: the first field issue's message, or the error's. */
function messageOf(error: AppError): string {
  return error.issues?.[0]?.message ?? error.message;
}

/** A file's size as people read it. */
function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
