import { Field, Form } from '../../../components/form.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface PractitionerRow {
  accountId: string;
  name: string;
  displayName: string | null;
  bookableOnline: boolean;
  services: number;
}

export function PractitionersPage(props: { nav: StaffNavProps; rows: PractitionerRow[] }) {
  return (
    <StaffLayout title="Practitioners" nav={props.nav}>
      <p>Staff members with the practitioner role. Give each a profile, services and weekly hours.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Staff member</th>
            <th scope="col">Shown to patients as</th>
            <th scope="col">Services</th>
            <th scope="col">Online booking</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>
                <a href={`/staff/settings/practitioners/${r.accountId}`}>{r.name}</a>
              </td>
              <td>{r.displayName ?? 'no profile yet'}</td>
              <td>{r.services}</td>
              <td>{r.bookableOnline ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
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
        <div class="field">
          <label for="f-colour">Calendar colour</label>
          <input id="f-colour" name="colour" type="color" value={v.colour} />
        </div>
        <div class="field">
          <label>
            <input type="checkbox" name="bookableOnline" checked={v.bookableOnline} /> Patients may book with
            them online
          </label>
        </div>
        <fieldset>
          <legend>Services they offer</legend>
          {props.services.map((s) => (
            <div class="field">
              <label>
                <input type="checkbox" name="serviceIds" value={s.id} checked={v.serviceIds.includes(s.id)} />{' '}
                {s.name}
              </label>
            </div>
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
