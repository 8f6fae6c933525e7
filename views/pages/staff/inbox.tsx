import { type DeliveryRowView, DeliveryTable } from '../../components/delivery-table.tsx';
import { PostButton } from '../../components/form.tsx';
import { Notice } from '../../components/notice.tsx';
import { QueueSection } from '../../components/queue-section.tsx';
import { Section } from '../../components/section.tsx';
import { type Column, hiddenHead } from '../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { DocumentsToReviewSection, type DocumentToReview } from '../../partials/documents-review.tsx';
import { FormsToReviewSection, type FormToReviewRow } from '../../partials/forms-review.tsx';
import { NotesToFinishSection, type NoteToFinish } from './today.tsx';

export interface InboxRequest {
  id: string;
  when: string;
  patient: string;
  practitioner: string;
  service: string;
}

export interface InboxWaiting {
  patientId: string;
  patient: string;
  service: string;
  practitioner: string;
  dates: string;
  since: string;
  /** The calendar at the start of the wanted dates, to find a time. */
  calendarHref: string;
}

/** A record a patient made that may be someone's already on file (same name and date of birth). */
export interface InboxDuplicate {
  id: string;
  name: string;
  dateOfBirth: string;
  registered: string;
  onFile: { id: string; name: string } | null;
}

/** A restricted record whose retention period has ended: an admin confirms its purge. */
export interface InboxPurgeDue {
  id: string;
  name: string;
  restricted: string;
  retainedUntil: string;
}

/**
 * Inbox: what waits for someone at the clinic today, each item linking to where it is handled.
 * A section is absent (not empty) when the member's role may not see it.
 */
export function InboxPage(props: {
  nav: StaffNavProps;
  requests?: InboxRequest[] | undefined;
  waiting?: InboxWaiting[] | undefined;
  failed?: { rows: DeliveryRowView[]; total: number } | undefined;
  duplicates?: InboxDuplicate[] | undefined;
  /** Patients' uploads waiting for review (members who may read documents). */
  documents?: DocumentToReview[] | undefined;
  /** Forms patients submitted, waiting for review (clinical roles). */
  formsToReview?: FormToReviewRow[] | undefined;
  /** The practitioner's drafts begun before today (members who write notes). */
  notesToFinish?: NoteToFinish[] | undefined;
  /** Restricted records whose retention ended, listed by the daily job (admins: patients.erase). */
  purgeDue?: InboxPurgeDue[] | undefined;
  /** Whether the member may clear a duplicate's flag. */
  canChangePatients?: boolean;
  /** Whether the member may merge a duplicate into the record on file (patients.merge). */
  canMerge?: boolean;
  notice?: string | undefined;
}) {
  return (
    <StaffLayout title="Inbox" nav={props.nav}>
      <Notice text={props.notice} />
      {props.requests ? (
        <Section id="h-messages" title="Messages">
          <link rel="stylesheet" href="/static/messages.css" />
          {/* Loaded at once, then every 10 s (inbox-messages.tsx): the Inbox follows new messages without a reload. */}
          <div hx-get="/staff/inbox/messages/section" hx-trigger="load" hx-swap="outerHTML">
            <p class="muted">
              <a href="/staff/inbox/messages">Open the messages</a>
            </p>
          </div>
        </Section>
      ) : null}
      {props.notesToFinish ? <NotesToFinishSection notes={props.notesToFinish} /> : null}
      <QueueSection
        id="h-requests"
        title="Appointment requests to approve"
        class="list"
        rows={props.requests}
        columns={requestColumns}
        none="No requests are waiting."
      />
      <QueueSection
        id="h-waiting"
        title="Waiting list"
        class="list"
        rows={props.waiting}
        columns={waitingColumns}
        none="Nobody is waiting."
      />
      <QueueSection
        id="h-duplicates"
        title="Possible duplicate records"
        scroll
        class="list"
        caption="Records patients made with the name and date of birth of a record on file"
        rows={props.duplicates}
        columns={duplicateColumns(props.nav.csrf, props.canChangePatients ?? false, props.canMerge ?? false)}
        none="No record looks like another."
      />
      <QueueSection
        id="h-purge"
        title="Records whose retention has ended"
        class="list"
        caption="Restricted records kept for the clinical retention period, which has now ended: confirm each purge"
        rows={props.purgeDue}
        columns={purgeColumns}
        none="No record is due for a purge."
      />
      {props.formsToReview ? <FormsToReviewSection rows={props.formsToReview} csrf={props.nav.csrf} /> : null}
      {props.documents ? (
        <DocumentsToReviewSection
          rows={props.documents}
          csrf={props.nav.csrf}
          canChange={props.canChangePatients ?? false}
        />
      ) : null}
      {props.failed ? (
        <Section id="h-failed" title={`Messages that failed (${props.failed.total})`}>
          {props.failed.total ? (
            <>
              <DeliveryTable rows={props.failed.rows} showPatient caption="Failed messages, newest first" />
              <p>
                <a href="/staff/admin/messages?status=failed">All failed messages</a>
              </p>
            </>
          ) : (
            <p class="muted">No message has failed.</p>
          )}
        </Section>
      ) : null}
    </StaffLayout>
  );
}

const purgeColumns: Column<InboxPurgeDue>[] = [
  { head: 'Record', cell: (r) => <a href={`/staff/patients/${r.id}`}>{r.name}</a> },
  { head: 'Restricted', cell: (r) => r.restricted },
  { head: 'Kept until', cell: (r) => r.retainedUntil },
  {
    head: hiddenHead('Action'),
    cell: (r) => (
      <a href={`/staff/patients/${r.id}/erase`}>
        Review the purge<span class="visually-hidden"> of {r.name}</span>
      </a>
    ),
  },
];

const requestColumns: Column<InboxRequest>[] = [
  { head: 'When', cell: (r) => r.when },
  { head: 'Patient', cell: (r) => <a href={`/staff/appointments/${r.id}`}>{r.patient}</a> },
  { head: 'With', cell: (r) => r.practitioner },
  { head: 'Service', cell: (r) => r.service },
];

const waitingColumns: Column<InboxWaiting>[] = [
  { head: 'Patient', cell: (w) => <a href={`/staff/patients/${w.patientId}`}>{w.patient}</a> },
  { head: 'Service', cell: (w) => w.service },
  { head: 'With', cell: (w) => w.practitioner },
  { head: 'Dates wanted', cell: (w) => w.dates },
  { head: 'Waiting since', cell: (w) => w.since },
  { head: hiddenHead('Action'), cell: (w) => <a href={w.calendarHref}>Find a time</a> },
];

const duplicateColumns = (
  csrf: string,
  canChange: boolean,
  canMerge: boolean,
): (Column<InboxDuplicate> | false)[] => [
  {
    head: 'New record',
    cell: (d) => (
      <>
        <a href={`/staff/patients/${d.id}`}>{d.name}</a>
        <br />
        <span class="muted">born {d.dateOfBirth}</span>
      </>
    ),
  },
  { head: 'Registered', cell: (d) => d.registered },
  {
    head: 'Looks like',
    cell: (d) =>
      d.onFile ? (
        <span class="stacked-links">
          <a href={`/staff/patients/${d.onFile.id}`}>{d.onFile.name} (on file)</a>
          {canMerge ? (
            <a href={`/staff/patients/${d.onFile.id}/merge?from=${d.id}`}>
              Compare and merge<span class="visually-hidden"> {d.name}</span>
            </a>
          ) : null}
        </span>
      ) : (
        '—'
      ),
  },
  canChange && {
    head: hiddenHead('Action'),
    cell: (d) => (
      <PostButton
        action={`/staff/patients/${d.id}/not-duplicate`}
        csrf={csrf}
        label="Not the same person"
        kind="secondary"
        detail={d.name}
      />
    ),
  },
];
