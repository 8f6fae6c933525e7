import { Csrf, Form, PostButton } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { Section } from '../../../components/section.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { type AlertBannerItem, AlertsBanner } from '../patient-record.tsx';
import { POLL_SECONDS } from './messages-page.tsx';

/*
 * One thread of the staff Inbox (issue 19): the conversation beside the patient's next appointment
 * and alerts, the reply box with quick replies and chart documents, assignment, close and reopen.
 * The messages ask again every POLL_SECONDS; message text is plain text, links only.
 */

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
