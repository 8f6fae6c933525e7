import { PatientSearchField } from '../../components/booking-fields.tsx';
import { Fact } from '../../components/facts.tsx';
import { Form } from '../../components/form.tsx';
import { Alert } from '../../components/notice.tsx';
import { type Column, DataTable } from '../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { appAndRecordKindLabels } from './patient-row-kinds.ts';

/**
 * Merging two records of one person (issue 17): pick the other record (a search, as on the
 * patients list), then a confirmation screen with both records side by side and what moves, per
 * kind; "Merge" moves it all to the record kept and archives the other.
 */

/** A record as the merge screens show it. */
export interface MergeRecordView {
  id: string;
  name: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  address: string;
  status: string;
  created: string;
}

/** A record found while picking the other one. */
export interface MergeChoice {
  id: string;
  name: string;
  dateOfBirth: string;
  email: string;
  archived: boolean;
}

/** What each kind of row is called on the confirmation screen (an unknown kind shows as it is). */
const kindLabels: Record<string, string> = {
  appointments: 'Appointments (past and upcoming)',
  waitlistEntries: 'Waiting list entries',
  notes: 'Treatment notes',
  addenda: 'Note addenda',
  documents: 'Documents',
  forms: 'Forms',
  messages: 'Messages sent',
  pushDevices: 'Devices for push messages',
  ...appAndRecordKindLabels,
  duplicateFlags: 'Records flagged as looking like it',
  mergedRecords: 'Records merged into it before',
};

/** The counts as rows: the kinds with something to move, in the order above, then any others. */
export function countRows(counts: Record<string, number>): { kind: string; label: string; count: number }[] {
  const order = Object.keys(kindLabels);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([kind, count]) => ({ kind, label: kindLabels[kind] ?? kind, count }));
}

const mergeHref = (keepId: string, fromId: string) =>
  `/staff/patients/${encodeURIComponent(keepId)}/merge?from=${encodeURIComponent(fromId)}`;

const choiceColumns = (keepId: string): Column<MergeChoice>[] => [
  {
    head: 'Record',
    cell: (p) => (
      <>
        <a href={mergeHref(keepId, p.id)}>
          {p.name}
          <span class="visually-hidden">: compare and merge</span>
        </a>
        {p.archived ? <span class="muted"> (archived)</span> : null}
      </>
    ),
  },
  { head: 'Born', cell: (p) => p.dateOfBirth },
  { head: 'Email', cell: (p) => p.email },
];

/** The records found (the part the search box replaces as you type). */
export function MergeChoices(props: { keepId: string; query: string; rows: MergeChoice[] }) {
  const typed = props.query.trim().length >= 2;
  return (
    <DataTable
      class="list merge-choices"
      caption={`Records matching “${props.query}”`}
      rows={props.rows}
      columns={choiceColumns(props.keepId)}
      empty={<p class="muted">{typed ? 'No other record matches that.' : 'Type at least two letters.'}</p>}
    />
  );
}

/** Step 1: which record is the same person as this one. */
export function MergePickPage(props: {
  nav: StaffNavProps;
  keep: { id: string; name: string };
  query: string;
  rows: MergeChoice[];
  error?: string | undefined;
}) {
  const action = `/staff/patients/${encodeURIComponent(props.keep.id)}/merge`;
  return (
    <StaffLayout title={`Merge a duplicate into ${props.keep.name}`} nav={props.nav}>
      <Alert error={props.error} />
      <p>
        Find the other record of the same person. Its appointments, notes, documents, forms, sign-ins and
        family links will move to <a href={`/staff/patients/${props.keep.id}`}>{props.keep.name}</a>; you see
        what moves before anything changes.
      </p>
      <form method="get" action={action} class="filters" aria-label="Find the other record">
        <PatientSearchField
          id="f-q"
          label="The other record"
          value={props.query}
          results={action}
          into="#merge-choices"
          delayMs={300}
          autofocus
        />
        <button type="submit">Search</button>
      </form>
      <div id="merge-choices" aria-live="polite">
        <MergeChoices keepId={props.keep.id} query={props.query} rows={props.rows} />
      </div>
    </StaffLayout>
  );
}

function RecordCard(props: { id: string; title: string; record: MergeRecordView }) {
  const r = props.record;
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title}: <a href={`/staff/patients/${r.id}`}>{r.name}</a>
      </h2>
      <dl class="facts">
        <Fact term="Born">{r.dateOfBirth}</Fact>
        <Fact term="Email">{r.email || '—'}</Fact>
        <Fact term="Phone">{r.phone || '—'}</Fact>
        <Fact term="Address">{r.address || '—'}</Fact>
        <Fact term="Status">{r.status}</Fact>
        <Fact term="Created">{r.created}</Fact>
      </dl>
    </section>
  );
}

/** Step 2: both records side by side, what moves, and the button. */
export function MergeConfirmPage(props: {
  nav: StaffNavProps;
  keep: MergeRecordView;
  from: MergeRecordView;
  counts: Record<string, number>;
  error?: string | undefined;
}) {
  const rows = countRows(props.counts);
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return (
    <StaffLayout title="Merge two records" nav={props.nav}>
      <Alert error={props.error} />
      <div class="merge-pair">
        <RecordCard id="h-keep" title="Kept" record={props.keep} />
        <RecordCard id="h-from" title="Merged in, then archived" record={props.from} />
      </div>
      <section aria-labelledby="h-moves">
        <h2 id="h-moves">What moves to the kept record</h2>
        <DataTable
          class="list merge-counts"
          caption={`What moves from ${props.from.name} to ${props.keep.name}`}
          rows={rows}
          columns={[
            { head: 'Kind', cell: (r) => r.label },
            { head: 'How many', cell: (r) => String(r.count), class: () => 'num' },
          ]}
          empty={<p class="muted">Nothing points at {props.from.name}: only the record is archived.</p>}
        />
      </section>
      <p>
        The record merged in is then archived and marked as merged: it cannot be booked or signed into, and
        its sign-in addresses sign in to the kept record. The kept record’s details stay as they are. Both
        records’ audit trails are kept. A merge cannot be undone.
      </p>
      <Form
        action={`/staff/patients/${encodeURIComponent(props.keep.id)}/merge`}
        csrf={props.nav.csrf}
        label="Merge the records"
      >
        <input type="hidden" name="fromPatientId" value={props.from.id} />
        <div class="actions merge-actions">
          <button type="submit" class="danger">
            Merge into the kept record ({total} {total === 1 ? 'item moves' : 'items move'})
          </button>
          {props.from.status === 'active' ? (
            <a href={mergeHref(props.from.id, props.keep.id)}>Keep the other record instead</a>
          ) : null}
          <a href={`/staff/patients/${props.keep.id}`}>Cancel</a>
        </div>
      </Form>
    </StaffLayout>
  );
}
