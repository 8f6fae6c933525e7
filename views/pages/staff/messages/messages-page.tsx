import { Csrf, Form, PostButton } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { Section } from '../../../components/section.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { type AlertBannerItem, AlertsBanner } from '../patient-record.tsx';

/*
 * The staff Inbox's messages (issue 19): the threads by tab (mine, unassigned, closed), one thread
 * beside the patient's next appointment and alerts with the reply box, quick replies and assignment.
 * The list and the open thread ask again every 10 s (htmx polling: plain GETs, which work in the
 * binary and through any proxy); message text is plain text, links only.
 */

export const MESSAGE_TABS = ['mine', 'unassigned', 'closed'] as const;
export type MessageTab = (typeof MESSAGE_TABS)[number];
const tabLabel: Record<MessageTab, string> = { mine: 'Mine', unassigned: 'Unassigned', closed: 'Closed' };

/** How often the list and the open thread ask for news, in seconds. */
export const POLL_SECONDS = 10;

/** A thread as the lists show it. */
export interface ThreadRowView {
  id: string;
  patientId: string;
  patient: string;
  subject: string;
  assignee: string;
  last: string;
  unread: boolean;
  status: 'open' | 'closed';
}

const threadColumns: Column<ThreadRowView>[] = [
  {
    head: 'Subject',
    cell: (t) => (
      <>
        <a href={`/staff/inbox/messages/${t.id}`}>{t.subject}</a>
        {t.unread ? <span class="badge">new</span> : null}
      </>
    ),
  },
  { head: 'Patient', cell: (t) => <a href={`/staff/patients/${t.patientId}`}>{t.patient}</a> },
  { head: 'Assigned to', cell: (t) => t.assignee },
  { head: 'Last message', cell: (t) => t.last },
];

/** The threads of a tab; replaced by itself every POLL_SECONDS. */
export function ThreadList(props: { tab: MessageTab; threads: ThreadRowView[] }) {
  return (
    <div
      id="thread-list"
      hx-get={`/staff/inbox/messages/list?tab=${props.tab}`}
      hx-trigger={`every ${POLL_SECONDS}s`}
      hx-swap="outerHTML"
    >
      <DataTable
        class="list"
        caption={`${tabLabel[props.tab]} threads`}
        rows={props.threads}
        columns={threadColumns}
        rowAttributes={(t): Record<string, string> => (t.unread ? { 'data-unread': '' } : {})}
        empty={<p class="muted">No threads here.</p>}
      />
    </div>
  );
}

/** `/staff/inbox/messages`: the tabs and the chosen tab's threads. */
export function MessagesPage(props: {
  nav: StaffNavProps;
  tab: MessageTab;
  counts: { mine: number; unassigned: number };
  threads: ThreadRowView[];
  unmatched: number | undefined;
  notice?: string | undefined;
}) {
  return (
    <StaffLayout title="Messages" nav={props.nav}>
      <p>
        <a href="/staff/inbox">Back to the Inbox</a>
      </p>
      <Notice text={props.notice} />
      <MessageTabs tab={props.tab} counts={props.counts} />
      <ThreadList tab={props.tab} threads={props.threads} />
      {props.unmatched ? (
        <p>
          <a href="/staff/inbox/messages/unmatched">Text messages from unknown numbers ({props.unmatched})</a>
        </p>
      ) : null}
    </StaffLayout>
  );
}

function MessageTabs(props: { tab?: MessageTab; counts: { mine: number; unassigned: number } }) {
  const unread = (tab: MessageTab) =>
    tab === 'closed' || props.counts[tab] === 0 ? '' : ` (${props.counts[tab]} unread)`;
  return (
    <nav class="message-tabs" aria-label="Threads">
      <ul>
        {MESSAGE_TABS.map((tab) => (
          <li>
            <a
              href={`/staff/inbox/messages?tab=${tab}`}
              aria-current={tab === props.tab ? 'page' : undefined}
            >
              {tabLabel[tab]}
              {unread(tab)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The Inbox's Messages section (loaded by htmx, then every POLL_SECONDS): counts and the threads waiting. */
export function InboxMessagesSection(props: {
  counts: { mine: number; unassigned: number };
  waiting: ThreadRowView[];
  unmatched: number | undefined;
}) {
  return (
    <div
      id="inbox-messages"
      hx-get="/staff/inbox/messages/section"
      hx-trigger={`every ${POLL_SECONDS}s`}
      hx-swap="outerHTML"
    >
      <MessageTabs counts={props.counts} />
      <DataTable
        class="list"
        caption="Open threads assigned to me or to the front desk"
        rows={props.waiting}
        columns={threadColumns}
        rowAttributes={(t): Record<string, string> => (t.unread ? { 'data-unread': '' } : {})}
        empty={<p class="muted">No messages wait for you.</p>}
      />
      {props.unmatched ? (
        <p>
          <a href="/staff/inbox/messages/unmatched">Text messages from unknown numbers ({props.unmatched})</a>
        </p>
      ) : null}
    </div>
  );
}

/** A message as the thread shows it. */
export interface MessageItemView {
  id: string;
  author: string;
  fromClinic: boolean;
  at: string;
  text: string;
  attachments: { href: string; title: string; size: string }[];
}

/** The thread's messages, oldest first; replaced by itself every POLL_SECONDS. */
export function ThreadMessages(props: { threadId: string; messages: MessageItemView[] }) {
  return (
    <div
      id="thread-messages"
      hx-get={`/staff/inbox/messages/${props.threadId}/messages`}
      hx-trigger={`every ${POLL_SECONDS}s`}
      hx-swap="outerHTML"
    >
      <ol class="messages" aria-label="Messages">
        {props.messages.map((m) => (
          <li class={m.fromClinic ? 'message from-clinic' : 'message from-patient'} data-message-id={m.id}>
            <p class="message-meta">
              <strong>{m.author}</strong> <span class="muted">{m.at}</span>
            </p>
            <PlainText text={m.text} />
            {m.attachments.length > 0 ? (
              <ul class="attachments">
                {m.attachments.map((a) => (
                  <li>
                    <a href={a.href}>{a.title}</a> <span class="muted">({a.size})</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

export interface ThreadPageProps {
  nav: StaffNavProps;
  thread: {
    id: string;
    subject: string;
    status: 'open' | 'closed';
    assignee: string;
    assignedTo: string | null;
    patient: { id: string; name: string };
  };
  messages: MessageItemView[];
  nextAppointment: { when: string; service: string } | null;
  alerts: AlertBannerItem[];
  quickReplies: { id: string; title: string; text: string }[];
  documents: { id: string; title: string }[];
  members: { id: string; name: string }[];
  meId: string;
  canWrite: boolean;
  replyWithinDays: number | null;
  text?: string;
  error?: string | undefined;
  notice?: string | undefined;
}

/** `/staff/inbox/messages/:threadId`: the conversation, the patient beside it, the reply box. */
export function ThreadPage(props: ThreadPageProps) {
  const t = props.thread;
  const csrf = props.nav.csrf;
  const base = `/staff/inbox/messages/${t.id}`;
  return (
    <StaffLayout title={t.subject} nav={props.nav} scripts={['/static/messages.js']}>
      <link rel="stylesheet" href="/static/messages.css" />
      <p>
        <a href="/staff/inbox/messages">All messages</a>
      </p>
      <Notice text={props.notice} />
      <div class="thread-layout">
        <div class="thread-main">
          <p class="thread-status">
            {t.status === 'closed' ? 'Closed' : 'Open'} · assigned to <strong>{t.assignee}</strong>
          </p>
          <ThreadMessages threadId={t.id} messages={props.messages} />
          {props.canWrite ? (
            <Section id="h-reply" title="Reply">
              <Form action={`${base}/reply`} csrf={csrf} error={props.error} label="Reply">
                {props.quickReplies.length > 0 ? (
                  <div class="field">
                    <label for="f-quick">Quick reply</label>
                    <select id="f-quick" data-quick-reply-for="f-text">
                      <option value="">Insert a saved reply…</option>
                      {props.quickReplies.map((q) => (
                        <option value={q.id} data-text={q.text}>
                          {q.title}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
                <div class="field">
                  <label for="f-text">Message</label>
                  <textarea id="f-text" name="text" rows={6} maxlength={5000} required>
                    {props.text ?? ''}
                  </textarea>
                </div>
                {props.documents.length > 0 ? (
                  <fieldset class="attach">
                    <legend>Attach documents of this chart (shared with the patient)</legend>
                    {props.documents.map((d) => (
                      <label>
                        <input type="checkbox" name="documentIds" value={d.id} /> {d.title}
                      </label>
                    ))}
                  </fieldset>
                ) : null}
                <button type="submit">{t.status === 'closed' ? 'Send and reopen' : 'Send'}</button>
              </Form>
            </Section>
          ) : null}
        </div>
        <aside class="thread-side" aria-label="Patient">
          <h2>
            <a href={`/staff/patients/${t.patient.id}`}>{t.patient.name}</a>
          </h2>
          <AlertsBanner alerts={props.alerts} />
          <p>
            Next appointment:{' '}
            {props.nextAppointment
              ? `${props.nextAppointment.when}, ${props.nextAppointment.service}`
              : 'none booked'}
          </p>
          {props.canWrite ? (
            <>
              <form method="post" action={`${base}/assign`} class="stack" aria-label="Assign">
                <Csrf token={csrf} />
                <div class="field">
                  <label for="f-assignee">Assign to</label>
                  <select id="f-assignee" name="assignee">
                    <option value="me" selected={t.assignedTo === props.meId}>
                      Me
                    </option>
                    <option value="desk" selected={t.assignedTo === null}>
                      Front desk
                    </option>
                    {props.members
                      .filter((m) => m.id !== props.meId)
                      .map((m) => (
                        <option value={m.id} selected={t.assignedTo === m.id}>
                          {m.name}
                        </option>
                      ))}
                  </select>
                </div>
                <button type="submit" class="secondary">
                  Assign
                </button>
              </form>
              <PostButton
                action={`${base}/${t.status === 'closed' ? 'reopen' : 'close'}`}
                csrf={csrf}
                label={t.status === 'closed' ? 'Reopen' : 'Close thread'}
                kind="secondary"
                inline={false}
              />
            </>
          ) : null}
          {props.replyWithinDays ? (
            <p class="muted">Patients are told: we reply within {props.replyWithinDays} working days.</p>
          ) : null}
        </aside>
      </div>
    </StaffLayout>
  );
}

/** `/staff/inbox/messages/new?patient=`: a thread started from the chart. */
/** The patient a message is for: a search whose choices htmx shows in `#<choices>` below it. */
const PatientSearch = (props: { id: string; choices: string }) => (
  <>
    <div class="field">
      <label for={props.id}>Patient</label>
      <input
        id={props.id}
        name="q"
        type="search"
        autocomplete="off"
        hx-get="/staff/patients/search"
        hx-trigger="input changed delay:300ms"
        hx-target={`#${props.choices}`}
      />
    </div>
    <div id={props.choices} />
  </>
);

export function NewThreadPage(props: {
  nav: StaffNavProps;
  /** From the chart; none: the member searches for the patient. */
  patient: { id: string; name: string } | null;
  subject: string;
  text: string;
  error?: string | undefined;
}) {
  const p = props.patient;
  return (
    <StaffLayout title={p ? `Message ${p.name}` : 'Message a patient'} nav={props.nav}>
      <p>
        {p ? (
          <a href={`/staff/patients/${p.id}`}>Back to the chart</a>
        ) : (
          <a href="/staff/inbox/messages">All messages</a>
        )}
      </p>
      <Form action="/staff/inbox/messages/new" csrf={props.nav.csrf} error={props.error} label="New message">
        {p ? (
          <input type="hidden" name="patientId" value={p.id} />
        ) : (
          <PatientSearch id="f-q" choices="patient-choices" />
        )}
        <div class="field">
          <label for="f-subject">Subject</label>
          <input id="f-subject" name="subject" value={props.subject} maxlength={200} required />
        </div>
        <div class="field">
          <label for="f-text">Message</label>
          <textarea id="f-text" name="text" rows={8} maxlength={5000} required>
            {props.text}
          </textarea>
        </div>
        <p class="muted">
          The patient is told by their chosen channels that a message waits in the app; never its text.
        </p>
        <button type="submit">Send</button>
      </Form>
    </StaffLayout>
  );
}

/** An SMS from a number on no record. */
export interface UnmatchedView {
  id: string;
  from: string;
  text: string;
  at: string;
}

/** `/staff/inbox/messages/unmatched`: SMS from unknown numbers, each assignable to a patient. */
export function UnmatchedPage(props: {
  nav: StaffNavProps;
  rows: UnmatchedView[];
  canWrite: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <StaffLayout title="Text messages from unknown numbers" nav={props.nav}>
      <link rel="stylesheet" href="/static/messages.css" />
      <p>
        <a href="/staff/inbox/messages">All messages</a>
      </p>
      <Notice text={props.notice} />
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.rows.length === 0 ? <p class="muted">None waiting.</p> : null}
      <ol class="messages">
        {props.rows.map((r) => (
          <li class="message from-patient">
            <p class="message-meta">
              <strong>{r.from}</strong> <span class="muted">{r.at}</span>
            </p>
            <PlainText text={r.text} />
            {props.canWrite ? (
              <form method="post" action={`/staff/inbox/messages/unmatched/${r.id}/assign`} class="stack">
                <Csrf token={props.nav.csrf} />
                <PatientSearch id={`q-${r.id}`} choices={`choices-${r.id}`} />
                <button type="submit">Assign to patient</button>
              </form>
            ) : null}
          </li>
        ))}
      </ol>
    </StaffLayout>
  );
}
