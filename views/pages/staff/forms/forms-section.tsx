import { SelectField } from '../../../components/fields.tsx';
import { Form } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { Section } from '../../../components/section.tsx';
import { DataTable } from '../../../components/table.tsx';

/** A form sent to the patient, as the chart lists it: what it is and where it stands. */
export interface ChartFormRow {
  id: string;
  name: string;
  version: number;
  status: string;
  sent: string;
  submitted: string;
}

/** The chart's forms section: the forms sent, and the form to send one. */
export interface FormsSectionView {
  patientId: string;
  rows: ChartFormRow[];
  /** Whether the member may open a form's answers (clinical roles); others see the status only. */
  answersReadable: boolean;
  /** The form templates the member may send (none: no send form). */
  templates: { id: string; name: string }[];
  /** The patient's upcoming appointments a form may be for. */
  appointments: { id: string; name: string }[];
  notice?: string | undefined;
  error?: string | undefined;
}

/** How a status reads on the chart. */
export const formStatusLabels: Record<string, string> = {
  sent: 'Sent, not opened yet',
  in_progress: 'Being filled in',
  submitted: 'Submitted, to review',
  reviewed: 'Reviewed',
};

/**
 * Forms sent to the patient for the patient app (medical history, consents): their status for
 * everyone who sees the chart; clinical staff open a submitted one's answers. Staff who may change
 * the record send any form template, optionally for an upcoming appointment (reminded a day before).
 */
export function FormsSection(props: { forms: FormsSectionView; csrf: string }) {
  const f = props.forms;
  const base = `/staff/patients/${f.patientId}/forms`;
  return (
    <Section id="h-forms" title="Forms">
      <div id="forms" class="stack forms-section">
        <Notice text={f.notice} />
        <DataTable
          scroll
          rows={f.rows}
          caption="Forms sent to the patient"
          empty={<p class="muted">No form was sent to this patient yet.</p>}
          columns={[
            {
              head: 'Form',
              cell: (r) =>
                f.answersReadable && (r.status === 'submitted' || r.status === 'reviewed') ? (
                  <a href={`${base}/${r.id}`}>{r.name}</a>
                ) : (
                  r.name
                ),
            },
            { head: 'Status', cell: (r) => formStatusLabels[r.status] ?? r.status },
            { head: 'Sent', cell: (r) => r.sent },
            { head: 'Submitted', cell: (r) => r.submitted || '—' },
          ]}
        />
        {f.templates.length ? (
          <Form
            action={base}
            csrf={props.csrf}
            label="Send a form"
            error={f.error}
            attributes={{ class: 'stack forms-send' }}
          >
            <SelectField name="templateId" label="Form to send" options={f.templates} required />
            <SelectField
              name="appointmentId"
              label="For the appointment"
              options={f.appointments}
              blank="None"
            />
            <p class="muted">
              The patient is told a form waits in the patient app (never what it asks), and reminded a day
              before the appointment if it is still unfilled.
            </p>
            <div>
              <button type="submit">Send the form</button>
            </div>
          </Form>
        ) : null}
      </div>
    </Section>
  );
}
