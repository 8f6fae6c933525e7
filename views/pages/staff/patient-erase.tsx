import { Field } from '../../components/fields.tsx';
import { Form } from '../../components/form.tsx';
import { Alert } from '../../components/notice.tsx';
import { DataTable } from '../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { appAndRecordKindLabels } from './patient-row-kinds.ts';

/**
 * Erasure and restriction of a record (issue 18 item 6): what an erase removes, per kind, and the
 * button — or, when the record has clinical content, why not and the form to restrict it instead;
 * for a restricted record, its restriction, "Lift the restriction", and the purge once its
 * retention period has ended.
 */

export interface EraseRecordView {
  id: string;
  name: string;
  dateOfBirth: string;
  restricted?: { since: string; until: string; reason: string } | undefined;
}

/** What each kind is called on the confirmation screen (an unknown kind shows as it is). */
const kindLabels: Record<string, string> = {
  ...appAndRecordKindLabels,
  waitlistEntries: 'Waiting list entries',
  upcomingCancelled: 'Upcoming appointments (cancelled)',
  documents: 'Documents and their files',
  notes: 'Treatment notes',
  addenda: 'Note addenda',
  forms: 'Forms',
  exportFiles: 'Export files',
  pushDevices: 'Devices for push messages',
  messageAddresses: 'Addresses in the message log (cleared)',
};

function countRows(counts: Record<string, number>) {
  const order = Object.keys(kindLabels);
  return Object.entries(counts)
    .filter(([kind, n]) => n > 0 && kind !== 'appointments')
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([kind, count]) => ({ label: kindLabels[kind] ?? kind, count }));
}

export function EraseRecordPage(props: {
  nav: StaffNavProps;
  record: EraseRecordView;
  counts: Record<string, number>;
  /** Why a plain erase is refused (clinical content), or null. */
  refusal: string | null;
  purgeable: boolean;
  reason?: string | undefined;
  error?: string | undefined;
}) {
  const r = props.record;
  const base = `/staff/patients/${encodeURIComponent(r.id)}`;
  const rows = countRows(props.counts);
  const appointments = props.counts.appointments ?? 0;
  const removes = (
    <section aria-labelledby="h-removed">
      <h2 id="h-removed">What will be removed</h2>
      <DataTable
        class="list merge-counts"
        caption={`What erasing ${r.name} removes`}
        rows={rows}
        columns={[
          { head: 'Kind', cell: (row) => row.label },
          { head: 'How many', cell: (row) => String(row.count), class: () => 'num' },
        ]}
        empty={<p class="muted">Nothing but the record’s own details.</p>}
      />
      <p>
        The name, date of birth, contacts, address, emergency contact, referrer and identifiers are cleared;
        the record stays as “Erased record” so that {appointments}{' '}
        {appointments === 1 ? 'appointment' : 'appointments'} still count in reports (time, service,
        practitioner, status only). The audit trail stays; it holds no contents. This cannot be undone.
      </p>
    </section>
  );
  return (
    <StaffLayout title={`Erase or restrict ${r.name}`} nav={props.nav}>
      <Alert error={props.error} />
      <p>
        <a href={base}>{r.name}</a>, born {r.dateOfBirth || '—'}
      </p>
      {r.restricted ? (
        <>
          <p class="notice">
            Restricted since {r.restricted.since} ({r.restricted.reason}). Kept until {r.restricted.until}.
          </p>
          {props.purgeable ? (
            <>
              {removes}
              <Form action={`${base}/purge`} csrf={props.nav.csrf} label="Purge the record">
                <div class="actions">
                  <button type="submit" class="danger">
                    Purge the record, clinical content included
                  </button>
                  <a href={base}>Cancel</a>
                </div>
              </Form>
            </>
          ) : (
            <p>
              The retention period has not ended: the record cannot be purged before {r.restricted.until}.
            </p>
          )}
          <Form action={`${base}/unrestrict`} csrf={props.nav.csrf} label="Lift the restriction">
            <div class="actions">
              <button type="submit" class="secondary">
                Lift the restriction
              </button>
            </div>
          </Form>
        </>
      ) : (
        <>
          {props.refusal ? (
            <p class="error" role="alert" id="erase-refusal">
              {props.refusal} Its clinical records must be kept for the retention period.
            </p>
          ) : (
            <>
              {removes}
              <Form action={`${base}/erase`} csrf={props.nav.csrf} label="Erase the record">
                <div class="actions">
                  <button type="submit" class="danger">
                    Erase the record
                  </button>
                  <a href={base}>Cancel</a>
                </div>
              </Form>
            </>
          )}
          <section aria-labelledby="h-restrict">
            <h2 id="h-restrict">Restrict instead</h2>
            <p>
              A restricted record is hidden from patient lists, search, the Inbox and messages, and its
              sign-in is refused; admins still open it from its link and can export it. It is kept until the
              last visit plus the clinic’s retention period, then listed in the Inbox for a purge.
            </p>
            <Form action={`${base}/restrict`} csrf={props.nav.csrf} label="Restrict the record">
              <Field
                name="reason"
                label="Reason"
                value={props.reason ?? ''}
                hint="Kept on the record, not in the audit log."
              />
              <div class="actions">
                <button type="submit">Restrict the record</button>
                <a href={base}>Cancel</a>
              </div>
            </Form>
          </section>
        </>
      )}
    </StaffLayout>
  );
}
