import { CheckField, Field } from '../../../components/fields.tsx';
import { Form, PostButton } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { Section } from '../../../components/section.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/**
 * Settings → Patient messages (settings.manage): whether patients may start threads, the reply
 * time they are told, whether a reply reopens a closed thread; the clinic's quick replies.
 */
export function PatientMessagesSettingsPage(props: {
  nav: StaffNavProps;
  settings: { patientsMayStart: boolean; replyWithinDays: number | null; reopenOnReply: boolean };
  quickReplies: { id: string; title: string; text: string }[];
  editing?: { id: string | null; title: string; text: string; error?: string | undefined };
  settingsError?: string | undefined;
  notice?: string | undefined;
}) {
  const csrf = props.nav.csrf;
  const s = props.settings;
  const editing = props.editing;
  return (
    <StaffLayout title="Patient messages" nav={props.nav}>
      <link rel="stylesheet" href="/static/messages.css" />
      <p>
        <a href="/staff/settings">Back to Settings</a>
      </p>
      <Notice text={props.notice} />
      <Section id="h-messaging" title="Conversations with patients">
        <Form
          action="/staff/settings/patient-messages"
          csrf={csrf}
          error={props.settingsError}
          label="Messaging settings"
        >
          <CheckField
            name="patientsMayStart"
            label="Patients may start a conversation from the app (otherwise they may only reply)"
            checked={s.patientsMayStart}
          />
          <Field
            name="replyWithinDays"
            label="We reply within (working days)"
            value={s.replyWithinDays === null ? '' : String(s.replyWithinDays)}
            inputmode="numeric"
            required={false}
            hint="Shown to patients before they send. Empty: say nothing."
          />
          <CheckField
            name="reopenOnReply"
            label="A patient’s reply reopens a closed conversation (otherwise they are asked to start a new one)"
            checked={s.reopenOnReply}
          />
          <button type="submit">Save</button>
        </Form>
      </Section>
      <Section id="h-quick-replies" title="Quick replies">
        <p class="muted">Saved texts staff insert into a reply, then change as needed.</p>
        <ul class="messages quick-replies">
          {props.quickReplies.map((q) => (
            <li class="message">
              <p class="message-meta">
                <strong>{q.title}</strong>{' '}
                <a href={`/staff/settings/patient-messages?edit=${q.id}#h-quick-reply-form`}>
                  Edit<span class="visually-hidden"> {q.title}</span>
                </a>{' '}
                <PostButton
                  action={`/staff/settings/patient-messages/quick-replies/${q.id}/remove`}
                  csrf={csrf}
                  label="Remove"
                  kind="link"
                  detail={q.title}
                />
              </p>
              <PlainText text={q.text} />
            </li>
          ))}
        </ul>
        <h3 id="h-quick-reply-form">{editing?.id ? 'Change the quick reply' : 'New quick reply'}</h3>
        <Form
          action={
            editing?.id
              ? `/staff/settings/patient-messages/quick-replies/${editing.id}`
              : '/staff/settings/patient-messages/quick-replies'
          }
          csrf={csrf}
          error={editing?.error}
          label="Quick reply"
        >
          <Field name="title" label="Title" value={editing?.title ?? ''} maxlength={80} />
          <div class="field">
            <label for="f-qr-text">Text</label>
            <textarea id="f-qr-text" name="text" rows={5} maxlength={5000} required>
              {editing?.text ?? ''}
            </textarea>
          </div>
          <button type="submit">{editing?.id ? 'Save the quick reply' : 'Add the quick reply'}</button>
        </Form>
      </Section>
    </StaffLayout>
  );
}
