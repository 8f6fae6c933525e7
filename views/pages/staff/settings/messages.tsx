import type { TemplateKey } from '../../../../src/domain/notifications/index.ts';
import { Field } from '../../../components/fields.tsx';
import { Form, PostButton } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** Settings → Messages: test sends and the message templates with a live preview. Pure functions of their props. */
export type TemplateListRow = TemplateKey & { label: string; custom: boolean };

const templateHref = (t: TemplateKey) =>
  `/staff/settings/messages/templates/${t.type}/${t.channel}/${t.language}`;

const templateColumns: Column<TemplateListRow>[] = [
  { head: 'Message', cell: (t) => <a href={templateHref(t)}>{t.label}</a> },
  { head: 'Channel', cell: (t) => t.channel },
  { head: 'Language', cell: (t) => t.language },
  { head: 'Wording', cell: (t) => (t.custom ? 'the clinic’s own' : 'default') },
];

/** Settings → Messages: test sends (through the real queue and transports) and the templates. */
export function MessageSettingsPage(props: {
  nav: StaffNavProps;
  templates: TemplateListRow[];
  notice?: string | undefined;
  error?: string | undefined;
  adminEmail: string;
  /** Whether an email server and an SMS provider are configured. */
  providers: { email: boolean; sms: boolean };
}) {
  const csrf = props.nav.csrf;
  const missing = [
    props.providers.email ? null : 'no email server (--smtp-url)',
    props.providers.sms ? null : 'no SMS provider (--sms-http-url or Twilio)',
  ].filter((m) => m !== null);
  return (
    <StaffLayout title="Messages and templates" nav={props.nav}>
      <Notice text={props.notice} />
      <h2>Send a test</h2>
      <p class="muted">
        Goes through the job queue and the configured email server or SMS provider, and shows in the{' '}
        <a href="/staff/admin/messages">message log</a>.
      </p>
      {missing.length ? (
        <p class="notice" id="providers-missing">
          This clinic has {missing.join(' and ')} configured: those messages only go to the server’s log, and
          the message log shows them as “not sent”.
        </p>
      ) : null}
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
      <DataTable class="templates" rows={props.templates} columns={templateColumns} />
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
  key: TemplateKey & { label: string };
  variables: readonly string[];
  values: { subject?: string | undefined; body: string };
  custom: boolean;
  preview: PreviewView;
  error?: string | undefined;
}) {
  const k = props.key;
  const base = templateHref(k);
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
      {props.variables.includes('dependantName') ? (
        <p class="muted">
          A child’s messages go to their guardians: {'{{recipientName}}'} is who reads the message, and{' '}
          {'{{dependantName}}'} the child’s name (empty in the patient’s own message: a line that names it is
          left out, as is one with {'{{changeUntil}}'} or {'{{changeByPhone}}'} when it does not apply).
        </p>
      ) : null}
      <Form
        action={base}
        csrf={props.nav.csrf}
        error={props.error}
        label="Template"
        attributes={{
          'hx-post': `${base}/preview`,
          'hx-trigger': 'input changed delay:300ms',
          'hx-target': '#preview',
          'hx-swap': 'outerHTML',
        }}
      >
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
      </Form>
      {props.custom ? (
        <PostButton
          action={`${base}/reset`}
          csrf={props.nav.csrf}
          label="Back to the default wording"
          kind="secondary"
        />
      ) : null}
      <h2>Preview</h2>
      <TemplatePreview preview={props.preview} />
    </StaffLayout>
  );
}
