import type { Child } from 'hono/jsx';
import { CheckField, Field, NumberField } from '../../components/fields.tsx';
import { Form } from '../../components/form.tsx';
import { Alert, Notice } from '../../components/notice.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

export interface ClinicSettingsView {
  name: string;
  timeZone: string;
  locale: string;
  address: string;
  phone: string;
  minNoticeMinutes: number;
  horizonDays: number;
  cancellationWindowHours: number;
  selfBooking: boolean;
  selfRegistration: boolean;
  /** Hours before the start; the form shows and sends them as "24, 2". */
  reminderHours: number[] | string[];
  smsQuietHours: { start: string; end: string } | null;
  openBookingsPerPatient: number | string;
  dependentsPerGuardian: number | string;
  notesOfSeenPatientsOnly?: boolean | undefined;
  retentionYears?: number | string | undefined;
}

/** Clinic settings: profile and booking policy defaults. Errors name their fields. */
export function ClinicSettingsPage(props: {
  nav: StaffNavProps;
  values: ClinicSettingsView;
  errors?: Record<string, string>;
  notice?: string | undefined;
  timeZones: string[];
}) {
  const errors = props.errors ?? {};
  const v = props.values;
  const summary = Object.values(errors).join(' ');
  return (
    <StaffLayout title="Clinic settings" nav={props.nav}>
      <Notice text={props.notice} />
      <p>
        <a href="/staff/settings/services">Services</a> · <a href="/staff/settings/billing">Billing</a> ·{' '}
        <a href="/staff/settings/practitioners">Practitioners</a> ·{' '}
        <a href="/staff/settings/availability">Time off, closures, extra hours and rooms</a> ·{' '}
        <a href="/staff/settings/messages">Messages and templates</a> ·{' '}
        <a href="/staff/settings/patient-messages">Patient messages and quick replies</a> ·{' '}
        <a href="/staff/settings/templates">Note and form templates</a>
      </p>
      <Form
        action="/staff/settings"
        csrf={props.nav.csrf}
        error={summary || undefined}
        label="Clinic settings"
      >
        <ClinicFields v={v} timeZones={props.timeZones} />
        <BookingFields v={v} />
        <Group
          title="What patients may do alone in the app"
          note="Past these, the app asks the patient to call the clinic; staff are not held to them."
        >
          <NumberField
            name="openBookingsPerPatient"
            label="Upcoming appointments a patient may book online, per person"
            value={v.openBookingsPerPatient}
          />
          <NumberField
            name="dependentsPerGuardian"
            label="Family members a patient may add"
            value={v.dependentsPerGuardian}
          />
        </Group>
        <Group
          title="Treatment notes"
          note="Seen: an appointment with them, or a note they wrote. Administrators see every chart’s notes."
        >
          <CheckField
            name="notesOfSeenPatientsOnly"
            label="Practitioners see only the notes of patients they have seen"
            checked={v.notesOfSeenPatientsOnly ?? false}
          />
        </Group>
        <Group
          title="Keeping records"
          note="The clinical retention law’s period. When it ends, the record is listed in the Inbox for an administrator to confirm its purge."
        >
          <NumberField
            name="retentionYears"
            label="Years a restricted record’s clinical content is kept after the last visit"
            value={v.retentionYears ?? 10}
          />
        </Group>
        <QuietHoursFields v={v} error={errors.smsQuietHours} />
        <button type="submit">Save settings</button>
      </Form>
    </StaffLayout>
  );
}

function ClinicFields(props: { v: ClinicSettingsView; timeZones: string[] }) {
  const { v } = props;
  return (
    <>
      <h2>The clinic</h2>
      <Field name="name" label="Name" value={v.name} autocomplete="organization" />
      <div class="field">
        <label for="f-timeZone">Time zone</label>
        <select id="f-timeZone" name="timeZone">
          {props.timeZones.map((tz) => (
            <option value={tz} selected={tz === v.timeZone}>
              {tz}
            </option>
          ))}
        </select>
        <small class="muted">Opening hours and appointment times are shown in this time zone.</small>
      </div>
      <Field
        name="locale"
        label="Language and region"
        value={v.locale}
        hint="For example en-GB, fr-FR, de-DE."
      />
      <Field
        name="address"
        label="Address"
        value={v.address}
        required={false}
        autocomplete="street-address"
      />
      <Field name="phone" label="Phone" value={v.phone} required={false} autocomplete="tel" />
    </>
  );
}

function BookingFields({ v }: { v: ClinicSettingsView }) {
  return (
    <>
      <h2>Online booking</h2>
      <CheckField name="selfBooking" label="Patients may book online" checked={v.selfBooking} />
      <CheckField
        name="selfRegistration"
        label="New patients may register themselves in the patient app"
        checked={v.selfRegistration}
      />
      <NumberField name="minNoticeMinutes" label="Minimum notice (minutes)" value={v.minNoticeMinutes} />
      <NumberField name="horizonDays" label="Booking horizon (days ahead)" value={v.horizonDays} />
      <NumberField
        name="cancellationWindowHours"
        label="Patients may cancel or move until (hours before)"
        value={v.cancellationWindowHours}
      />
      <Field
        name="reminderHours"
        label="Reminders (hours before the appointment, comma-separated; empty for none)"
        value={v.reminderHours.join(', ')}
        required={false}
      />
    </>
  );
}

/** A part of the settings form: its heading, its fields, and a note under them. */
const Group = (props: { title: string; note: string; children: Child }) => (
  <>
    <h2>{props.title}</h2>
    {props.children}
    <p class="muted">{props.note}</p>
  </>
);

function QuietHoursFields(props: { v: ClinicSettingsView; error: string | undefined }) {
  const { v } = props;
  return (
    <>
      <h2>SMS quiet hours</h2>
      <p class="muted">
        No SMS between these times (the clinic’s time zone) but sign-in codes; one due then waits until they
        end. Patients may choose their own in the app. Leave both empty for none.
      </p>
      <Field
        name="quietStart"
        label="From"
        type="time"
        value={v.smsQuietHours?.start ?? ''}
        required={false}
      />
      <Field name="quietEnd" label="Until" type="time" value={v.smsQuietHours?.end ?? ''} required={false} />
      <Alert error={props.error} />
    </>
  );
}
