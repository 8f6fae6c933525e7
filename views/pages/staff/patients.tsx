import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

export interface PatientListRow {
  id: string;
  name: string;
  dateOfBirth: string;
  email: string;
  phone: string;
}

export interface PatientListProps {
  query: string;
  rows: PatientListRow[];
  page: number;
  hasMore: boolean;
}

const pageLink = (query: string, page: number) =>
  `/staff/patients?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(page) }).toString()}`;

/** The results and their pager: the part the search box replaces as you type (htmx). */
export function PatientResults(props: PatientListProps) {
  const tooShort = props.query.trim().length === 1;
  return (
    <>
      {props.rows.length ? (
        <table class="list">
          <caption class="visually-hidden">
            {props.query ? `Patients matching “${props.query}”` : 'Patients by name'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Born</th>
              <th scope="col">Email</th>
              <th scope="col">Phone</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((p) => (
              <tr>
                <td>
                  <a href={`/staff/patients/${p.id}`}>{p.name}</a>
                </td>
                <td>{p.dateOfBirth}</td>
                <td>{p.email}</td>
                <td>{p.phone}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>
          {tooShort
            ? 'Type at least two letters.'
            : props.query
              ? 'No patient matches that.'
              : 'No patients yet.'}
        </p>
      )}
      <nav class="pager" aria-label="Pages">
        {props.page > 1 ? <a href={pageLink(props.query, props.page - 1)}>Previous</a> : null}{' '}
        {props.hasMore ? <a href={pageLink(props.query, props.page + 1)}>Next</a> : null}
      </nav>
    </>
  );
}

/** Patients: everyone by name, or a search by name, email or phone; each opens the chart. */
export function PatientsPage(props: PatientListProps & { nav: StaffNavProps }) {
  return (
    <StaffLayout title="Patients" nav={props.nav}>
      <form method="get" action="/staff/patients" class="filters" aria-label="Find a patient">
        <div class="field">
          <label for="f-q">Find a patient</label>
          <input
            id="f-q"
            name="q"
            type="search"
            autocomplete="off"
            value={props.query}
            hx-get="/staff/patients"
            hx-trigger="input changed delay:300ms"
            hx-target="#patient-list"
            aria-describedby="f-q-hint"
          />
          <small id="f-q-hint" class="muted">
            Name, email or phone; at least two letters.
          </small>
        </div>
        <button type="submit">Search</button>
      </form>
      <div id="patient-list" aria-live="polite">
        <PatientResults query={props.query} rows={props.rows} page={props.page} hasMore={props.hasMore} />
      </div>
    </StaffLayout>
  );
}
