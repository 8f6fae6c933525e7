import { PostButton } from '../components/form.tsx';
import { Section } from '../components/section.tsx';
import { DataTable, hiddenHead } from '../components/table.tsx';

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
    <Section id="h-forms-review" title={`Forms to review (${props.rows.length})`}>
      <DataTable
        scroll
        rows={props.rows}
        caption="Forms patients submitted, oldest first"
        empty={<p class="muted">No form waits for review.</p>}
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
          {
            head: hiddenHead('Actions'),
            cell: (r) => (
              <PostButton
                action={`/staff/patients/${r.patientId}/forms/${r.id}/review`}
                csrf={props.csrf}
                label="Mark reviewed"
                kind="secondary"
                fields={{ back: 'inbox' }}
                detail={`${r.name}, ${r.patient}`}
              />
            ),
          },
        ]}
      />
    </Section>
  );
}
