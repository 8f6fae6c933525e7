import type { Service } from '../../../../src/domain/scheduling/index.ts';
import { CheckField, Field, NumberField, SelectField } from '../../../components/fields.tsx';
import { Form, PostButton } from '../../../components/form.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
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
  | 'askReason'
  | 'reminderHours'
  | 'defaultNoteTemplateId'
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

/** The fields of one service; used to add one and to edit one. */
/** A form template a service may send with its bookings, ticked when it does. */
export interface FormTemplateChoice {
  id: string;
  name: string;
  checked: boolean;
}

/** What the add and edit pages both hand their service form. */
interface ServiceFormPage {
  nav: StaffNavProps;
  values: ServiceFormValues;
  errors?: string | undefined;
  /** The note templates a note started from this service's appointment may begin with. */
  noteTemplates: { id: string; name: string }[];
  /** The form templates, ticked when the service sends them with each booking. */
  formTemplates?: FormTemplateChoice[] | undefined;
}

function ServiceForm(props: ServiceFormPage & { action: string; submit: string }) {
  const v = props.values;
  return (
    <Form action={props.action} csrf={props.nav.csrf} error={props.errors} label={props.submit}>
      <Field name="name" label="Name" value={v.name} />
      <Field name="description" label="Description for patients" value={v.description} required={false} />
      <NumberField name="durationMin" label="Duration (minutes)" value={v.durationMin} />
      <NumberField name="bufferBeforeMin" label="Buffer before (minutes)" value={v.bufferBeforeMin} />
      <NumberField name="bufferAfterMin" label="Buffer after (minutes)" value={v.bufferAfterMin} />
      <CheckField name="onlineBookable" label="Patients may book it online" checked={v.onlineBookable} />
      <CheckField name="newPatientsAllowed" label="New patients may book it" checked={v.newPatientsAllowed} />
      <CheckField name="requiresApproval" label="Staff approve each booking" checked={v.requiresApproval} />
      <CheckField name="askReason" label="Ask for a reason for the visit" checked={v.askReason} />
      <Field
        name="reminderHours"
        label="Reminders (hours before, comma-separated)"
        value={Array.isArray(v.reminderHours) ? v.reminderHours.join(', ') : (v.reminderHours ?? '')}
        required={false}
        hint="Empty: the clinic’s reminders."
      />
      <SelectField
        name="defaultNoteTemplateId"
        label="Note template"
        options={props.noteTemplates}
        selected={v.defaultNoteTemplateId ?? ''}
        blank="None: the practitioner chooses"
      />
      {props.formTemplates?.length ? (
        <fieldset>
          <legend>Forms sent with each booking</legend>
          <p class="muted">
            The patient fills them in the patient app before the visit, reminded a day before.
          </p>
          {props.formTemplates.map((t) => (
            <CheckField name="formTemplateIds" value={t.id} label={t.name} checked={t.checked} />
          ))}
        </fieldset>
      ) : null}
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
  askReason: false,
  reminderHours: '',
  defaultNoteTemplateId: null,
};

const serviceColumns: Column<ServiceView>[] = [
  { head: 'Service', cell: (s) => <a href={`/staff/settings/services/${s.id}`}>{s.name}</a> },
  { head: 'Duration', cell: (s) => `${s.durationMin} min` },
  { head: 'Buffers', cell: (s) => `${s.bufferBeforeMin} / ${s.bufferAfterMin} min` },
  { head: 'Online', cell: (s) => (s.onlineBookable ? 'yes' : 'no') },
  { head: 'Status', cell: (s) => (s.active ? 'active' : 'archived') },
];

export function ServicesPage(props: ServiceFormPage & { services: ServiceView[] }) {
  return (
    <StaffLayout title="Services" nav={props.nav}>
      <p>
        <a href="/staff/settings">Clinic settings</a>
      </p>
      <DataTable scroll rows={props.services} columns={serviceColumns} />
      <h2>Add a service</h2>
      <ServiceForm {...props} action="/staff/settings/services" submit="Add service" />
    </StaffLayout>
  );
}

export function ServicePage(props: ServiceFormPage & { id: string; active: boolean }) {
  return (
    <StaffLayout title={`Service: ${props.values.name}`} nav={props.nav}>
      <p>
        <a href="/staff/settings/services">All services</a> ·{' '}
        <a href={`/staff/settings/services/${props.id}/price`}>Price and fees</a>
      </p>
      <ServiceForm {...props} action={`/staff/settings/services/${props.id}`} submit="Save service" />
      <PostButton
        action={`/staff/settings/services/${props.id}/${props.active ? 'archive' : 'restore'}`}
        csrf={props.nav.csrf}
        label={props.active ? 'Archive (stop offering it)' : 'Offer it again'}
        kind="secondary"
        inline={false}
      />
    </StaffLayout>
  );
}
