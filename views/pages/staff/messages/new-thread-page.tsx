import { Csrf, Form } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/* Starting a thread with a patient, and SMS from unknown numbers waiting to be given a patient (issue 19). */

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

/** `/staff/inbox/messages/new?patient=`: a thread started from the chart. */
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
      <Alert error={props.error} />
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
