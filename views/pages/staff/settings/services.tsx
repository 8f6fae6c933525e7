import type { Service } from '../../../../src/domain/scheduling/index.ts';
import { Field, Form } from '../../../components/form.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** A service as the list shows it (reminder offsets in hours; null: the clinic's). */
export type ServiceView = Pick<
  Service,
  | 'id'
  | 'name'
  | 'description'
  | 'durationMin'
  | 'bufferBeforeMin'
  | 'bufferAfterMin'
  | 'onlineBookable'
  | 'newPatientsAllowed'
  | 'requiresApproval'
  | 'reminderHours'
  | 'active'
>;

export type ServiceFormValues = Omit<
  ServiceView,
  'id' | 'active' | 'durationMin' | 'bufferBeforeMin' | 'bufferAfterMin' | 'reminderHours'
> & {
  reminderHours: string | number[] | null;
  durationMin: string | number;
  bufferBeforeMin: string | number;
  bufferAfterMin: string | number;
};

const check = (name: string, label: string, checked: boolean) => (
  <div class="field">
    <label>
      <input type="checkbox" name={name} checked={checked} /> {label}
    </label>
  </div>
);

/** The fields of one service; used to add one and to edit one. */
function ServiceForm(props: {
  action: string;
  csrf: string;
  values: ServiceFormValues;
  errors?: string | undefined;
  submit: string;
}) {
  const v = props.values;
  return (
    <Form action={props.action} csrf={props.csrf} error={props.errors} label={props.submit}>
      <Field name="name" label="Name" value={v.name} />
      <Field name="description" label="Description for patients" value={v.description} required={false} />
      <Field
        name="durationMin"
        label="Duration (minutes)"
        value={String(v.durationMin)}
        inputmode="numeric"
      />
      <Field
        name="bufferBeforeMin"
        label="Buffer before (minutes)"
        value={String(v.bufferBeforeMin)}
        inputmode="numeric"
      />
      <Field
        name="bufferAfterMin"
        label="Buffer after (minutes)"
        value={String(v.bufferAfterMin)}
        inputmode="numeric"
      />
      {check('onlineBookable', 'Patients may book it online', v.onlineBookable)}
      {check('newPatientsAllowed', 'New patients may book it', v.newPatientsAllowed)}
      {check('requiresApproval', 'Staff approve each booking', v.requiresApproval)}
      <Field
        name="reminderHours"
        label="Reminders (hours before, comma-separated)"
        value={Array.isArray(v.reminderHours) ? v.reminderHours.join(', ') : (v.reminderHours ?? '')}
        required={false}
        hint="Empty: the clinic’s reminders."
      />
      <button type="submit">{props.submit}</button>
    </Form>
  );
}

export const emptyService: ServiceFormValues = {
  name: '',
  description: '',
  durationMin: 30,
  bufferBeforeMin: 0,
  bufferAfterMin: 0,
  onlineBookable: true,
  newPatientsAllowed: true,
  requiresApproval: false,
  reminderHours: '',
};

export function ServicesPage(props: {
  nav: StaffNavProps;
  services: ServiceView[];
  values: ServiceFormValues;
  errors?: string | undefined;
}) {
  return (
    <StaffLayout title="Services" nav={props.nav}>
      <p>
        <a href="/staff/settings">Clinic settings</a>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Duration</th>
            <th scope="col">Buffers</th>
            <th scope="col">Online</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {props.services.map((s) => (
            <tr>
              <td>
                <a href={`/staff/settings/services/${s.id}`}>{s.name}</a>
              </td>
              <td>{s.durationMin} min</td>
              <td>
                {s.bufferBeforeMin} / {s.bufferAfterMin} min
              </td>
              <td>{s.onlineBookable ? 'yes' : 'no'}</td>
              <td>{s.active ? 'active' : 'archived'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add a service</h2>
      <ServiceForm
        action="/staff/settings/services"
        csrf={props.nav.csrf}
        values={props.values}
        errors={props.errors}
        submit="Add service"
      />
    </StaffLayout>
  );
}

export function ServicePage(props: {
  nav: StaffNavProps;
  id: string;
  active: boolean;
  values: ServiceFormValues;
  errors?: string | undefined;
}) {
  return (
    <StaffLayout title={`Service: ${props.values.name}`} nav={props.nav}>
      <p>
        <a href="/staff/settings/services">All services</a>
      </p>
      <ServiceForm
        action={`/staff/settings/services/${props.id}`}
        csrf={props.nav.csrf}
        values={props.values}
        errors={props.errors}
        submit="Save service"
      />
      <form
        method="post"
        action={`/staff/settings/services/${props.id}/${props.active ? 'archive' : 'restore'}`}
      >
        <input type="hidden" name="_csrf" value={props.nav.csrf} />
        <button type="submit" class="secondary">
          {props.active ? 'Archive (stop offering it)' : 'Offer it again'}
        </button>
      </form>
    </StaffLayout>
  );
}
