import { type DeliveryRowView, DeliveryTable } from '../../components/delivery-table.tsx';
import { Notice } from '../../components/notice.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { DocumentsSection, type DocumentsSectionView, documentsScript } from './documents-section.tsx';
import { PatientAccessSection, type PatientAccessView } from './patient-access.tsx';
import { PatientInviteSection, type PatientInviteView } from './patient-invite.tsx';

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
  /** The record this one may duplicate (flagged at registration), for staff to compare. */
  possibleDuplicateOf?: { id: string; name: string } | undefined;
}

/** A patient's chart: who they are, how they accept messages, who can get in, and what was sent to them. */
export function PatientChartPage(props: {
  nav: StaffNavProps;
  patient: PatientChartView;
  deliveries: DeliveryRowView[];
  access: PatientAccessView;
  canChange: boolean;
  notice?: string | undefined;
  /** The invitation form (staff who may change records). */
  invite?: PatientInviteView | undefined;
  /** The documents on the chart (members who may read some). */
  documents?: DocumentsSectionView | undefined;
}) {
  const p = props.patient;
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  return (
    <StaffLayout title={p.name} nav={props.nav} scripts={props.documents ? [documentsScript] : undefined}>
      <Notice text={props.notice} />
      <dl class="details">
        <dt>Date of birth</dt>
        <dd>{p.dateOfBirth}</dd>
        <dt>Email</dt>
        <dd>{p.email || '—'}</dd>
        <dt>Phone</dt>
        <dd>{p.phone || '—'}</dd>
        <dt>Language</dt>
        <dd>{p.language}</dd>
        <dt>Messages by email / SMS / push</dt>
        <dd>
          {yesNo(p.consents.email)} / {yesNo(p.consents.sms)} / {yesNo(p.consents.push)} ({p.pushDevices}{' '}
          device
          {p.pushDevices === 1 ? '' : 's'} for push)
        </dd>
        <dt>SMS quiet hours</dt>
        <dd>{p.quietHours}</dd>
        {p.possibleDuplicateOf ? (
          <>
            <dt>Possible duplicate of</dt>
            <dd>
              <a href={`/staff/patients/${p.possibleDuplicateOf.id}`}>{p.possibleDuplicateOf.name}</a> (same
              name and date of birth)
            </dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="h-notes" id="notes">
        <h2 id="h-notes">Notes</h2>
        <p>
          <a href={`/staff/patients/${p.id}/notes`}>Treatment notes</a>
        </p>
      </section>
      {props.documents ? <DocumentsSection documents={props.documents} csrf={props.nav.csrf} /> : null}
      {props.invite ? <PatientInviteSection invite={props.invite} csrf={props.nav.csrf} /> : null}
      <PatientAccessSection access={props.access} csrf={props.nav.csrf} canChange={props.canChange} />
      <h2>Messages</h2>
      <DeliveryTable rows={props.deliveries} caption="Messages sent to this patient, newest first" />
    </StaffLayout>
  );
}
