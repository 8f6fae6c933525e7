import { type DeliveryRowView, DeliveryTable } from '../../components/delivery-table.tsx';
import { Fact } from '../../components/facts.tsx';
import { Notice } from '../../components/notice.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { DocumentsSection, type DocumentsSectionView, documentsScript } from './documents-section.tsx';
import { ExportSection, type ExportSectionView } from './export-section.tsx';
import { FormsSection, type FormsSectionView } from './forms/forms-section.tsx';
import { PatientInvoicesSection, type PatientInvoicesView } from './invoices/patient-invoices.tsx';
import { PatientAccessSection, type PatientAccessView } from './patient-access.tsx';
import { PatientInviteSection, type PatientInviteView } from './patient-invite.tsx';
import {
  type AlertBannerItem,
  AlertsBanner,
  AlertsSection,
  type AlertsView,
  AppointmentHistorySection,
  type ChartAppointmentView,
  type HistoryRowView,
  RecordEditSection,
  type RecordFormValues,
  RecordHistorySection,
} from './patient-record.tsx';

export interface PatientChartView {
  id: string;
  name: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  language: string;
  consents: { email: boolean; sms: boolean; push: boolean };
  quietHours: string;
  pushDevices: number;
  sex: string;
  address: string;
  emergencyContact: string;
  referrer: string;
  identifiers: string[];
  archived: boolean;
  /** The record this one may duplicate (flagged at registration), for staff to compare. */
  possibleDuplicateOf?: { id: string; name: string } | undefined;
  /** The record this one was merged into (it is archived). */
  mergedInto?: { id: string; name: string } | undefined;
  /** Restricted (GDPR art. 18): since when, kept until when, why. */
  restricted?: { since: string; until: string; reason: string } | undefined;
  /** Erased (GDPR art. 17): when; the record is a tombstone. */
  erased?: string | undefined;
}

/** A patient's chart: who they are, how they accept messages, who can get in, and what was sent to them. */
export function PatientChartPage(props: {
  nav: StaffNavProps;
  patient: PatientChartView;
  deliveries: DeliveryRowView[];
  access: PatientAccessView;
  canChange: boolean;
  /** Whether the member may merge a duplicate into this record (patients.merge, an active record). */
  canMerge?: boolean;
  /** Whether the member may erase or restrict this record (patients.erase, not erased). */
  canErase?: boolean;
  notice?: string | undefined;
  /** The invitation form (staff who may change records). */
  invite?: PatientInviteView | undefined;
  /** The documents on the chart (members who may read some). */
  documents?: DocumentsSectionView | undefined;
  /** The forms sent to the patient (status; answers for clinical roles) and the form to send one. */
  forms?: FormsSectionView | undefined;
  /** "Export record": the button and the member's own recent exports. */
  exports?: ExportSectionView | undefined;
  /** The patient's invoices and credit (members who read invoices). */
  invoices?: PatientInvoicesView | undefined;
  /** Active alerts (the banner), and the alerts section. */
  banner: AlertBannerItem[];
  alerts: AlertsView;
  /** The edit form (staff who may change records), with what was typed when refused. */
  edit?: { values: RecordFormValues; errors?: Record<string, string> | undefined } | undefined;
  history: HistoryRowView[];
  appointments: { upcoming: ChartAppointmentView[]; past: ChartAppointmentView[] };
}) {
  const p = props.patient;
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  return (
    <StaffLayout title={p.name} nav={props.nav} scripts={props.documents ? [documentsScript] : undefined}>
      <AlertsBanner alerts={props.banner} />
      <Notice text={props.notice} />
      {p.erased ? (
        <p class="notice">Erased on {p.erased}: the personal data is gone; only anonymous counts remain.</p>
      ) : null}
      {p.restricted ? (
        <p class="notice">
          Restricted since {p.restricted.since} ({p.restricted.reason}): hidden from lists, search, the Inbox
          and messages, and sign-in is refused. Kept until {p.restricted.until}.
        </p>
      ) : null}
      {p.mergedInto ? (
        <p class="notice">
          Merged into <a href={`/staff/patients/${p.mergedInto.id}`}>{p.mergedInto.name}</a>: everything of
          this record moved there; it is archived.
        </p>
      ) : p.archived ? (
        <p class="notice">Archived: out of search and booking. Everything on it is kept.</p>
      ) : null}
      {props.canMerge || props.canErase ? (
        <p class="actions">
          {props.canMerge ? <a href={`/staff/patients/${p.id}/merge`}>Merge a duplicate…</a> : null}
          {props.canErase ? (
            <a href={`/staff/patients/${p.id}/erase`}>
              {p.restricted ? 'Restriction and purge…' : 'Erase record or restrict…'}
            </a>
          ) : null}
        </p>
      ) : null}
      {props.canChange && !p.erased && !p.mergedInto ? (
        <p class="actions">
          <a href={`/staff/inbox/messages/new?patient=${p.id}`}>Message patient</a>
        </p>
      ) : null}
      <dl class="details">
        <Fact term="Date of birth">{p.dateOfBirth}</Fact>
        <Fact term="Email">{p.email || '—'}</Fact>
        <Fact term="Phone">{p.phone || '—'}</Fact>
        <Fact term="Sex">{p.sex || '—'}</Fact>
        <Fact term="Address">
          {p.address ? p.address.split('\n').map((line, i) => (i ? [<br />, line] : line)) : '—'}
        </Fact>
        <Fact term="Emergency contact">{p.emergencyContact || '—'}</Fact>
        <Fact term="Referrer or GP">{p.referrer || '—'}</Fact>
        <Fact term="Identifiers">{p.identifiers.length ? p.identifiers.join('; ') : '—'}</Fact>
        <Fact term="Language">{p.language}</Fact>
        <Fact term="Messages by email / SMS / push">
          {yesNo(p.consents.email)} / {yesNo(p.consents.sms)} / {yesNo(p.consents.push)} ({p.pushDevices}{' '}
          device
          {p.pushDevices === 1 ? '' : 's'} for push)
        </Fact>
        <Fact term="SMS quiet hours">{p.quietHours}</Fact>
        {p.possibleDuplicateOf ? (
          <Fact term="Possible duplicate of">
            <a href={`/staff/patients/${p.possibleDuplicateOf.id}`}>{p.possibleDuplicateOf.name}</a> (same
            name and date of birth)
            {props.canMerge ? (
              <>
                {' '}
                <a href={`/staff/patients/${p.possibleDuplicateOf.id}/merge?from=${p.id}`}>
                  Compare and merge
                </a>
              </>
            ) : null}
          </Fact>
        ) : null}
      </dl>
      <AlertsSection view={props.alerts} csrf={props.nav.csrf} />
      {props.edit ? (
        <RecordEditSection
          patientId={p.id}
          values={props.edit.values}
          errors={props.edit.errors}
          archived={p.archived}
          csrf={props.nav.csrf}
        />
      ) : null}
      <AppointmentHistorySection {...props.appointments} />
      <section aria-labelledby="h-notes" id="notes">
        <h2 id="h-notes">Notes</h2>
        <p>
          <a href={`/staff/patients/${p.id}/notes`}>Treatment notes</a>
        </p>
      </section>
      {props.forms ? <FormsSection forms={props.forms} csrf={props.nav.csrf} /> : null}
      {props.documents ? <DocumentsSection documents={props.documents} csrf={props.nav.csrf} /> : null}
      {props.invoices ? <PatientInvoicesSection view={props.invoices} csrf={props.nav.csrf} /> : null}
      {props.exports ? <ExportSection view={props.exports} csrf={props.nav.csrf} /> : null}
      {props.invite ? <PatientInviteSection invite={props.invite} csrf={props.nav.csrf} /> : null}
      <PatientAccessSection access={props.access} csrf={props.nav.csrf} canChange={props.canChange} />
      <RecordHistorySection rows={props.history} />
      <h2>Messages</h2>
      <DeliveryTable rows={props.deliveries} caption="Messages sent to this patient, newest first" />
    </StaffLayout>
  );
}
