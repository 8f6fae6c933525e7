import { markReviewedColumn, QueueSection } from '../components/queue-section.tsx';

/** A submitted form waiting for a clinician's review, as the Inbox lists it. */
export interface FormToReviewRow {
  id: string;
  patientId: string;
  patient: string;
  name: string;
  submitted: string;
}

/**
 * The Inbox's "Forms to review" (clinical roles): forms patients submitted from the app, oldest
 * first; each opens its answers, or is marked reviewed from here.
 */
export function FormsToReviewSection(props: { rows: FormToReviewRow[]; csrf: string }) {
  return (
    <QueueSection
      id="h-forms-review"
      title="Forms to review"
      scroll
      rows={props.rows}
      caption="Forms patients submitted, oldest first"
      none="No form waits for review."
      columns={[
        {
          head: 'Patient',
          cell: (r) => <a href={`/staff/patients/${r.patientId}#forms`}>{r.patient}</a>,
        },
        {
          head: 'Form',
          cell: (r) => <a href={`/staff/patients/${r.patientId}/forms/${r.id}`}>{r.name}</a>,
        },
        { head: 'Submitted', cell: (r) => r.submitted },
        markReviewedColumn<FormToReviewRow>(
          'Actions',
          props.csrf,
          (r) => `/staff/patients/${r.patientId}/forms/${r.id}/review`,
          (r) => `${r.name}, ${r.patient}`,
        ),
      ]}
    />
  );
}
