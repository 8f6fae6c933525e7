import { markReviewedColumn, QueueSection } from '../components/queue-section.tsx';

/** A document a patient sent from the app, waiting for staff to look at it. */
export interface DocumentToReview {
  id: string;
  patientId: string;
  patient: string;
  title: string;
  categoryLabel: string;
  /** When it arrived, in the clinic's zone. */
  received: string;
  /** Its page on the chart (preview, re-categorise, share). */
  href: string;
}

/**
 * The Inbox's "Documents to review": patients' uploads nobody has reviewed, oldest first, each
 * opening on its chart; "Mark reviewed" (members who may change records) clears it from here.
 */
export function DocumentsToReviewSection(props: {
  rows: DocumentToReview[];
  csrf: string;
  canChange: boolean;
}) {
  return (
    <QueueSection
      id="h-documents"
      title="Documents to review"
      scroll
      class="list"
      caption="Documents patients sent from the app, oldest first"
      rows={props.rows}
      none="No document is waiting."
      columns={[
        {
          head: 'Document',
          cell: (d) => (
            <>
              <a href={d.href}>{d.title}</a>
              <br />
              <span class="muted">
                {d.categoryLabel}, from <a href={`/staff/patients/${d.patientId}#documents`}>{d.patient}</a>
              </span>
            </>
          ),
        },
        { head: 'Received', cell: (d) => d.received },
        props.canChange &&
          markReviewedColumn<DocumentToReview>(
            'Action',
            props.csrf,
            (d) => `/staff/patients/${d.patientId}/documents/${d.id}/reviewed`,
            (d) => d.title,
          ),
      ]}
    />
  );
}
