import { CheckField, Field } from '../../../components/fields.tsx';
import { Form } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface PractitionerRow {
  accountId: string;
  name: string;
  displayName: string | null;
  bookableOnline: boolean;
  services: number;
}

const practitionerColumns: Column<PractitionerRow>[] = [
  {
    head: 'Staff member',
    cell: (r) => <a href={`/staff/settings/practitioners/${r.accountId}`}>{r.name}</a>,
  },
  { head: 'Shown to patients as', cell: (r) => r.displayName ?? 'no profile yet' },
  { head: 'Services', cell: (r) => r.services },
  { head: 'Online booking', cell: (r) => (r.bookableOnline ? 'yes' : 'no') },
];

export function PractitionersPage(props: { nav: StaffNavProps; rows: PractitionerRow[] }) {
  return (
    <StaffLayout title="Practitioners" nav={props.nav}>
      <p>Staff members with the practitioner role. Give each a profile, services and weekly hours.</p>
      <DataTable rows={props.rows} columns={practitionerColumns} />
    </StaffLayout>
  );
}

export interface PractitionerFormValues {
  displayName: string;
  title: string;
  bio: string;
  colour: string;
  bookableOnline: boolean;
  serviceIds: string[];
  /** "1".."7" → "09:00-12:00, 13:00-17:00" */
  hours: Record<string, string>;
}

export function PractitionerPage(props: {
  nav: StaffNavProps;
  accountId: string;
  name: string;
  values: PractitionerFormValues;
  services: { id: string; name: string }[];
  errors?: string | undefined;
  notice?: string | undefined;
}) {
  const v = props.values;
  return (
    <StaffLayout title={`Practitioner: ${props.name}`} nav={props.nav}>
      <p>
        <a href="/staff/settings/practitioners">All practitioners</a>
      </p>
      <Notice text={props.notice} />
      <Form
        action={`/staff/settings/practitioners/${props.accountId}`}
        csrf={props.nav.csrf}
        error={props.errors}
        label="Practitioner"
      >
        <h2>Profile</h2>
        <Field name="displayName" label="Name shown to patients" value={v.displayName} />
        <Field
          name="title"
          label="Title"
          value={v.title}
          required={false}
          hint="For example Physiotherapist, MSc."
        />
        <Field name="bio" label="Short biography" value={v.bio} required={false} />
        <Field name="colour" label="Calendar colour" type="color" value={v.colour} required={false} />
        <CheckField
          name="bookableOnline"
          label="Patients may book with them online"
          checked={v.bookableOnline}
        />
        <fieldset>
          <legend>Services they offer</legend>
          {props.services.map((s) => (
            <CheckField name="serviceIds" value={s.id} label={s.name} checked={v.serviceIds.includes(s.id)} />
          ))}
        </fieldset>
        <fieldset>
          <legend>
            Weekly hours (clinic time; several ranges for breaks, e.g. 09:00-12:00, 13:00-17:00)
          </legend>
          {DAY_NAMES.map((day, i) => (
            <Field
              name={`hours.${i + 1}`}
              label={day}
              value={v.hours[String(i + 1)] ?? ''}
              required={false}
            />
          ))}
        </fieldset>
        <button type="submit">Save practitioner</button>
      </Form>
    </StaffLayout>
  );
}
