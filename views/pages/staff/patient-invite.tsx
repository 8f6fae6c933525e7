import { Field } from '../../components/fields.tsx';
import { Form } from '../../components/form.tsx';
import { Section } from '../../components/section.tsx';

/** The chart's "Patient app" section: how many addresses sign in, and the invitation form. */
export interface PatientInviteView {
  patientId: string;
  /** How many addresses sign in to the record already. */
  logins: number;
  /** What the form shows: the record's email and phone, or what was typed when it came back. */
  by: 'email' | 'sms';
  email: string;
  phone: string;
  /** Why the invitation was refused (a field's message keyed by field, else `form`). */
  errors?: Record<string, string> | undefined;
}

/** The ways an invitation goes: the radio choice, and the address field it is sent to. */
const inviteWays = [
  { by: 'email', choice: 'Email', field: 'email', type: 'email', label: 'Email address', hint: undefined },
  {
    by: 'sms',
    choice: 'SMS',
    field: 'phone',
    type: 'tel',
    label: 'Mobile number',
    hint: 'For SMS, with the country code (+44 7700 900100).',
  },
] as const;

/**
 * Staff invite the patient to the app from the chart: by email (the record's, or another) or by
 * SMS. The link needs the patient's date of birth to open, so an address typed wrong reaches a
 * stranger who still cannot get in.
 */
export function PatientInviteSection(props: { invite: PatientInviteView; csrf: string }) {
  const { invite } = props;
  const errors = invite.errors ?? {};
  return (
    <Section id="h-invite" title="Patient app">
      <p>
        {invite.logins === 0
          ? 'No address signs in to this record yet.'
          : `${invite.logins} address${invite.logins === 1 ? '' : 'es'} sign${invite.logins === 1 ? 's' : ''} in to this record.`}{' '}
        An invitation is a link that opens with the patient’s date of birth; it works for 7 days.
      </p>
      <Form
        action={`/staff/patients/${invite.patientId}/invite`}
        csrf={props.csrf}
        label="Invite to the app"
        error={errors.form}
      >
        <fieldset>
          <legend>Send the invitation by</legend>
          {inviteWays.map((way, i) => (
            <>
              {i ? ' ' : ''}
              <label>
                <input type="radio" name="by" value={way.by} checked={invite.by === way.by} /> {way.choice}
              </label>
            </>
          ))}
        </fieldset>
        {inviteWays.map((way) => (
          <Field
            name={way.field}
            id={`invite-${way.field}`}
            type={way.type}
            label={way.label}
            hint={way.hint}
            value={invite[way.field]}
            required={false}
            autocomplete="off"
            error={errors[way.field]}
          />
        ))}
        <button type="submit">Send invitation</button>
      </Form>
    </Section>
  );
}
