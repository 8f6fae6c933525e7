import { PatientSearchField } from '../../components/booking-fields.tsx';
import { CheckField } from '../../components/fields.tsx';
import { FilterForm, Form } from '../../components/form.tsx';
import {
  type NewPatientField,
  NewPatientFields,
  newPatientFields,
} from '../../components/new-patient-fields.tsx';
import { type Column, DataTable } from '../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

export interface PatientListRow {
  id: string;
  name: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  archived?: boolean;
}

export interface PatientListProps {
  query: string;
  rows: PatientListRow[];
  page: number;
  hasMore: boolean;
  /** Archived records are listed too ("Show archived"). */
  archived?: boolean;
  /** The member may add a patient (the "Add a patient" link). */
  canAdd?: boolean;
}

const pageLink = (query: string, page: number, archived = false) =>
  `/staff/patients?${new URLSearchParams({ ...(query ? { q: query } : {}), ...(archived ? { archived: '1' } : {}), page: String(page) }).toString()}`;

const patientColumns: Column<PatientListRow>[] = [
  {
    head: 'Name',
    cell: (p) => (
      <>
        <a href={`/staff/patients/${p.id}`}>{p.name}</a>
        {p.archived ? <span class="muted"> (archived)</span> : null}
      </>
    ),
  },
  { head: 'Born', cell: (p) => p.dateOfBirth, class: () => 'date' },
  { head: 'Email', cell: (p) => p.email },
  { head: 'Phone', cell: (p) => p.phone },
];

/** The results and their pager: the part the search box replaces as you type (htmx). */
export function PatientResults(props: PatientListProps) {
  const tooShort = props.query.trim().length === 1;
  return (
    <>
      <DataTable
        scroll
        class="list"
        caption={props.query ? `Patients matching “${props.query}”` : 'Patients by name'}
        rows={props.rows}
        columns={patientColumns}
        empty={
          <p>
            {tooShort
              ? 'Type at least two letters.'
              : props.query
                ? 'No patient matches that.'
                : 'No patients yet.'}
          </p>
        }
      />
      <nav class="pager" aria-label="Pages">
        {props.page > 1 ? <a href={pageLink(props.query, props.page - 1, props.archived)}>Previous</a> : null}{' '}
        {props.hasMore ? <a href={pageLink(props.query, props.page + 1, props.archived)}>Next</a> : null}
      </nav>
    </>
  );
}

/** Patients: everyone by name, or a search by name, email or phone; each opens the chart. */
export function PatientsPage(props: PatientListProps & { nav: StaffNavProps }) {
  const { nav, canAdd, ...list } = props;
  return (
    <StaffLayout title="Patients" nav={nav}>
      {canAdd ? (
        <p>
          <a href="/staff/patients/new" class="button">
            Add a patient
          </a>
        </p>
      ) : null}
      <FilterForm action="/staff/patients" label="Find a patient" submit="Search">
        <PatientSearchField
          id="f-q"
          label="Find a patient"
          value={props.query}
          results={props.archived ? '/staff/patients?archived=1' : '/staff/patients'}
          into="#patient-list"
          delayMs={300}
        />
        <CheckField name="archived" value="1" label="Show archived" checked={props.archived === true} />
      </FilterForm>
      <div id="patient-list" aria-live="polite">
        <PatientResults {...list} />
      </div>
    </StaffLayout>
  );
}

/** What was typed into "Add a patient", and what is wrong with it by field (`form`: as a whole). */
export interface NewPatientValues {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  /** This form's own id, sent with it: sent twice (a double click), it makes one patient. */
  submission: string;
  errors?: Partial<Record<NewPatientField | 'form', string>>;
}

/** Names, date of birth and how to reach them: the patient record's own rules say what is required. */
const required: NewPatientField[] = ['firstName', 'lastName', 'dateOfBirth'];

/**
 * `/staff/patients/new`: a patient who phones in is registered without booking. The fields are the
 * booking panel's new-patient fields; the first one wrong (else the first name) has the focus.
 */
export function NewPatientPage(props: { nav: StaffNavProps; values: NewPatientValues }) {
  const v = props.values;
  const errors = v.errors ?? {};
  const first = newPatientFields.find((f) => errors[f.name])?.name ?? (errors.form ? undefined : 'firstName');
  return (
    <StaffLayout title="Add a patient" nav={props.nav}>
      <p>
        <a href="/staff/patients">All patients</a>
      </p>
      <Form action="/staff/patients/new" csrf={props.nav.csrf} error={errors.form} label="Add a patient">
        <input type="hidden" name="submission" value={v.submission} />
        <NewPatientFields values={v} errors={errors} focus={(name) => first === name} required={required} />
        <button type="submit">Add the patient</button>
      </Form>
    </StaffLayout>
  );
}
