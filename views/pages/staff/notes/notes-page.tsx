import { SelectField } from '../../../components/fields.tsx';
import { FilterForm, Form } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { Section } from '../../../components/section.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** A note as the chart's list shows it. */
export interface NoteRowView {
  id: string;
  href: string;
  template: string;
  /** When it was begun, in the clinic's zone ("3 Dec 2026, 09:30"). */
  date: string;
  author: string;
  status: 'draft' | 'signed';
}

export interface NotesListView {
  patientId: string;
  patientName: string;
  count: number;
  /** The notes (clinical readers); undefined for members who may only know the count. */
  rows?: NoteRowView[] | undefined;
  /** The note templates a new note may use (members who may write notes). */
  templates?: { id: string; name: string }[] | undefined;
  appointments?: { id: string; name: string }[] | undefined;
  error?: string | undefined;
  /** Clinical readers: the search box, with the query typed and how many notes it found (when searched). */
  search?: { query: string; found?: number | undefined } | undefined;
  /** The new note's preselected appointment and template (opened from an appointment). */
  start?: { appointmentId?: string | undefined; templateId?: string | undefined } | undefined;
}

const countText = (n: number) => (n === 1 ? '1 note' : `${n} notes`);

/**
 * A patient's treatment notes: the list (template, date, author, status), newest first, and a new
 * note from a chosen template. Members without a clinical role see only how many there are.
 */
export function NotesPage(props: { nav: StaffNavProps; notes: NotesListView; notice?: string | undefined }) {
  const n = props.notes;
  return (
    <StaffLayout title={`Notes · ${n.patientName}`} nav={props.nav}>
      <p>
        <a href={`/staff/patients/${n.patientId}`}>← {n.patientName}’s chart</a>
      </p>
      <Notice text={props.notice} />
      {n.templates ? <NewNoteForm notes={n} csrf={props.nav.csrf} /> : null}
      <Section id="h-notes" title={countText(n.count)}>
        {n.search ? <SearchForm notes={n} /> : null}
        {n.search?.found !== undefined ? (
          <p role="status">
            {n.search.found === 1 ? '1 note matches' : `${n.search.found} notes match`} ·{' '}
            <a href={`/staff/patients/${n.patientId}/notes`}>show every note</a>
          </p>
        ) : null}
        {n.rows?.length ? (
          <p>
            <a href={`/staff/patients/${n.patientId}/notes.pdf`} target="_blank" rel="noopener">
              Every signed note as a PDF to print
            </a>
          </p>
        ) : null}
        {n.rows ? (
          <NotesTable rows={n.rows} searched={n.search?.found !== undefined} />
        ) : (
          <p class="muted">Only clinical staff read notes.</p>
        )}
      </Section>
    </StaffLayout>
  );
}

function NewNoteForm(props: { notes: NotesListView; csrf: string }) {
  const n = props.notes;
  return (
    <Section id="h-new-note" title="New note">
      <Form
        action={`/staff/patients/${n.patientId}/notes`}
        csrf={props.csrf}
        error={n.error}
        label="New note"
      >
        <SelectField
          name="templateId"
          label="Template"
          options={n.templates ?? []}
          selected={n.start?.templateId}
          required
        />
        {n.appointments?.length ? (
          <SelectField
            name="appointmentId"
            label="Appointment"
            options={n.appointments}
            selected={n.start?.appointmentId}
            blank="None"
          />
        ) : null}
        <button type="submit">Start the note</button>
      </Form>
    </Section>
  );
}

/** Full-text search in this patient's notes (a GET form; request logs never hold the query string). */
function SearchForm(props: { notes: NotesListView }) {
  const n = props.notes;
  return (
    <FilterForm action={`/staff/patients/${n.patientId}/notes`} label="Search these notes" submit="Search">
      <div class="field">
        <label for="f-notes-q">Search these notes</label>
        <input id="f-notes-q" type="search" name="q" value={n.search?.query ?? ''} maxlength={200} />
      </div>
    </FilterForm>
  );
}

const noteColumns: Column<NoteRowView>[] = [
  { head: 'Date', cell: (r) => <a href={r.href}>{r.date}</a> },
  { head: 'Template', cell: (r) => r.template },
  { head: 'Author', cell: (r) => r.author },
  { head: 'Status', cell: (r) => (r.status === 'signed' ? 'Signed' : 'Draft') },
];

function NotesTable(props: { rows: NoteRowView[]; searched?: boolean }) {
  if (!props.rows.length)
    return <p class="muted">{props.searched ? 'No note holds every word searched.' : 'No notes yet.'}</p>;
  return (
    <DataTable scroll rows={props.rows} columns={noteColumns} class="list" caption="Notes, newest first" />
  );
}
