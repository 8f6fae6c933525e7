import { Field, Form } from '../../components/form.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

/**
 * Messages: the delivery log (on a patient's chart and for admins), the test-send buttons and
 * the message templates with a live preview. Pure functions of their props.
 */
export interface DeliveryRowView {
  id: string;
  createdAt: string;
  sentAt: string;
  channel: string;
  type: string;
  language: string;
  recipient: string;
  status: string;
  attempts: number;
  providerId: string;
  lastError: string;
  /** Admin view: the patient's chart, when the message concerns one. */
  patientHref?: string | undefined;
}

export function DeliveryTable(props: { rows: DeliveryRowView[]; showPatient?: boolean; caption: string }) {
  if (props.rows.length === 0) return <p class="muted">No messages yet.</p>;
  return (
    <table class="deliveries">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Message</th>
          <th scope="col">Channel</th>
          <th scope="col">To</th>
          <th scope="col">Status</th>
          <th scope="col">Tries</th>
          <th scope="col">Sent</th>
          <th scope="col">Provider id</th>
          <th scope="col">Last error</th>
          {props.showPatient ? <th scope="col">Patient</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr data-status={r.status}>
            <td>{r.createdAt}</td>
            <td>
              {r.type} <small class="muted">({r.language})</small>
            </td>
            <td>{r.channel}</td>
            <td>{r.recipient}</td>
            <td class={`status-${r.status}`}>{r.status}</td>
            <td>{r.attempts}</td>
            <td>{r.sentAt}</td>
            <td>{r.providerId}</td>
            <td>{r.lastError}</td>
            {props.showPatient ? <td>{r.patientHref ? <a href={r.patientHref}>chart</a> : '—'}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface PatientChartView {
  id: string;
  name: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  language: string;
  consents: { email: boolean; sms: boolean; push: boolean };
  quietHours: string;
  pushDevices: number;
}

/** A patient's chart: who they are, how they accept messages, and what was sent to them. */
export function PatientChartPage(props: {
  nav: StaffNavProps;
  patient: PatientChartView;
  deliveries: DeliveryRowView[];
}) {
  const p = props.patient;
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  return (
    <StaffLayout title={p.name} nav={props.nav}>
      <dl class="details">
        <dt>Date of birth</dt>
        <dd>{p.dateOfBirth}</dd>
        <dt>Email</dt>
        <dd>{p.email || '—'}</dd>
        <dt>Phone</dt>
        <dd>{p.phone || '—'}</dd>
        <dt>Language</dt>
        <dd>{p.language}</dd>
        <dt>Messages by email / SMS / push</dt>
        <dd>
          {yesNo(p.consents.email)} / {yesNo(p.consents.sms)} / {yesNo(p.consents.push)} ({p.pushDevices}{' '}
          device
          {p.pushDevices === 1 ? '' : 's'} for push)
        </dd>
        <dt>SMS quiet hours</dt>
        <dd>{p.quietHours}</dd>
      </dl>
      <h2>Messages</h2>
      <DeliveryTable rows={props.deliveries} caption="Messages sent to this patient, newest first" />
    </StaffLayout>
  );
}

/** Admin: every message, filtered by status and channel, a page at a time. */
export function MessagesPage(props: {
  nav: StaffNavProps;
  filter: { status: string; channel: string };
  statuses: readonly string[];
  channels: readonly string[];
  rows: DeliveryRowView[];
  page: number;
  pages: number;
  total: number;
}) {
  const link = (page: number) =>
    `/staff/admin/messages?${new URLSearchParams({ ...props.filter, page: String(page) }).toString()}`;
  return (
    <StaffLayout title="Messages" nav={props.nav}>
      <form method="get" action="/staff/admin/messages" class="filters" aria-label="Filter messages">
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            <option value="">Any</option>
            {props.statuses.map((s) => (
              <option value={s} selected={props.filter.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-channel">Channel</label>
          <select id="f-channel" name="channel">
            <option value="">Any</option>
            {props.channels.map((s) => (
              <option value={s} selected={props.filter.channel === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <p class="muted">
        {props.total} message{props.total === 1 ? '' : 's'} · page {props.page} of {Math.max(props.pages, 1)}
      </p>
      <DeliveryTable rows={props.rows} showPatient caption="Messages, newest first" />
      <nav class="pager" aria-label="Pages">
        {props.page > 1 ? <a href={link(props.page - 1)}>Newer</a> : null}{' '}
        {props.page < props.pages ? <a href={link(props.page + 1)}>Older</a> : null}
      </nav>
    </StaffLayout>
  );
}

export interface TemplateListRow {
  type: string;
  channel: string;
  language: string;
  label: string;
  custom: boolean;
}

/** Settings → Messages: test sends (through the real queue and transports) and the templates. */
export function MessageSettingsPage(props: {
  nav: StaffNavProps;
  templates: TemplateListRow[];
  notice?: string | undefined;
  error?: string | undefined;
  adminEmail: string;
}) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title="Messages and templates" nav={props.nav}>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <h2>Send a test</h2>
      <p class="muted">
        Goes through the job queue and the configured email server or SMS provider, and shows in the{' '}
        <a href="/staff/admin/messages">message log</a>.
      </p>
      <Form
        action="/staff/settings/messages/test-email"
        csrf={csrf}
        label="Send a test email"
        error={props.error}
      >
        <Field
          name="email"
          label="Email address"
          type="email"
          value={props.adminEmail}
          autocomplete="email"
        />
        <button type="submit">Send a test email</button>
      </Form>
      <Form action="/staff/settings/messages/test-sms" csrf={csrf} label="Send a test SMS">
        <Field name="phone" label="Mobile number (with country code)" hint="For example +44 7911 123456." />
        <button type="submit">Send a test SMS</button>
      </Form>
      <h2>Templates</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">Channel</th>
            <th scope="col">Language</th>
            <th scope="col">Wording</th>
          </tr>
        </thead>
        <tbody>
          {props.templates.map((t) => (
            <tr>
              <td>
                <a href={`/staff/settings/messages/templates/${t.type}/${t.channel}/${t.language}`}>
                  {t.label}
                </a>
              </td>
              <td>{t.channel}</td>
              <td>{t.language}</td>
              <td>{t.custom ? 'the clinic’s own' : 'default'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </StaffLayout>
  );
}

export interface PreviewView {
  issues: { path: string; message: string }[];
  subject?: string | undefined;
  text: string;
}

/** The live preview (an htmx fragment): the message as sent with sample values, or what is wrong. */
export function TemplatePreview(props: { preview: PreviewView }) {
  const p = props.preview;
  return (
    <div id="preview" class="preview" aria-live="polite">
      {p.issues.length ? (
        <ul class="error" role="alert">
          {p.issues.map((i) => (
            <li>{i.message}</li>
          ))}
        </ul>
      ) : null}
      {p.subject !== undefined ? (
        <p>
          <strong>{p.subject}</strong>
        </p>
      ) : null}
      <pre class="preview-text">{p.text}</pre>
    </div>
  );
}

export function TemplateEditPage(props: {
  nav: StaffNavProps;
  key: { type: string; channel: string; language: string; label: string };
  variables: readonly string[];
  values: { subject?: string | undefined; body: string };
  custom: boolean;
  preview: PreviewView;
  error?: string | undefined;
}) {
  const k = props.key;
  const base = `/staff/settings/messages/templates/${k.type}/${k.channel}/${k.language}`;
  const hasSubject = k.channel !== 'sms';
  return (
    <StaffLayout title={`${k.label} — ${k.channel}, ${k.language}`} nav={props.nav}>
      <p>
        <a href="/staff/settings/messages">All templates</a>
      </p>
      <p class="muted">
        Variables: {props.variables.map((v) => `{{${v}}}`).join(' ')}.{' '}
        {k.channel === 'email'
          ? 'The service and practitioner may appear in the text only, never in the subject.'
          : 'SMS and push carry no health details: no service or practitioner, only a link.'}
      </p>
      <form
        method="post"
        action={base}
        class="stack"
        aria-label="Template"
        hx-post={`${base}/preview`}
        hx-trigger="input changed delay:300ms"
        hx-target="#preview"
        hx-swap="outerHTML"
      >
        <input type="hidden" name="_csrf" value={props.nav.csrf} />
        {props.error ? (
          <p class="error" role="alert" id="form-error">
            {props.error}
          </p>
        ) : null}
        {hasSubject ? (
          <Field
            name="subject"
            label={k.channel === 'email' ? 'Subject' : 'Title'}
            value={props.values.subject ?? ''}
          />
        ) : null}
        <div class="field">
          <label for="f-body">Text</label>
          <textarea id="f-body" name="body" rows={10} required>
            {props.values.body}
          </textarea>
        </div>
        <button type="submit">Save template</button>
      </form>
      {props.custom ? (
        <form method="post" action={`${base}/reset`} class="inline">
          <input type="hidden" name="_csrf" value={props.nav.csrf} />
          <button type="submit" class="secondary">
            Back to the default wording
          </button>
        </form>
      ) : null}
      <h2>Preview</h2>
      <TemplatePreview preview={props.preview} />
    </StaffLayout>
  );
}
