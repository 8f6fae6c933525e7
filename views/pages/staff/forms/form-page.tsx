import { Fact } from '../../../components/facts.tsx';
import { PostButton } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { Section } from '../../../components/section.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { formStatusLabels } from './forms-section.tsx';

/** One line of a form as staff read it: a heading, or a question with its answer as text. */
export type FormAnswerRow = { heading: string } | { label: string; answer: string };

/** A patient's form with its answers, for clinical staff. */
export interface FormPageView {
  id: string;
  patientId: string;
  patientName: string;
  name: string;
  version: number;
  status: string;
  sent: string;
  submitted: string;
  reviewed: string;
  rows: FormAnswerRow[];
  signature: { kind: string; name: string; image: string | null; signed: string; ip: string } | null;
  /** The submission's PDF in the patient's documents ('' until the job made it). */
  documentId: string;
  canReview: boolean;
}

/**
 * A form the patient filled in the patient app: its answers in the template's order (the version
 * it was filled in with), the signature with its time and address, a link to its PDF on the chart,
 * and "Mark reviewed" while it waits in the Inbox.
 */
export function FormPage(props: { nav: StaffNavProps; form: FormPageView; notice?: string | undefined }) {
  const f = props.form;
  const chart = `/staff/patients/${f.patientId}`;
  return (
    <StaffLayout title={`${f.name} (version ${f.version}) — ${f.patientName}`} nav={props.nav}>
      <p>
        <a href={`${chart}#forms`}>← {f.patientName}’s chart</a>
      </p>
      <Notice text={props.notice} />
      <dl class="facts">
        <Fact term="Status">{formStatusLabels[f.status] ?? f.status}</Fact>
        <Fact term="Sent">{f.sent}</Fact>
        <Fact term="Submitted">{f.submitted || '—'}</Fact>
        {f.reviewed ? <Fact term="Reviewed">{f.reviewed}</Fact> : null}
        <Fact term="PDF">
          {f.documentId ? (
            <a href={`${chart}/documents/${f.documentId}`}>In the patient’s documents</a>
          ) : (
            'Being made'
          )}
        </Fact>
      </dl>
      {f.canReview ? (
        <p>
          <PostButton action={`${chart}/forms/${f.id}/review`} csrf={props.nav.csrf} label="Mark reviewed" />
        </p>
      ) : null}
      <Section id="h-answers" title="Answers">
        <dl class="facts">
          {f.rows.map((r) =>
            'heading' in r ? (
              <>
                <dt>
                  <strong>{r.heading}</strong>
                </dt>
                <dd />
              </>
            ) : (
              <>
                <dt>{r.label}</dt>
                <dd class="form-answer">{r.answer}</dd>
              </>
            ),
          )}
        </dl>
      </Section>
      {f.signature ? (
        <Section id="h-signature" title="Signature">
          {f.signature.image ? (
            <img src={f.signature.image} alt={`Signature of ${f.signature.name}`} class="signature-image" />
          ) : null}
          <p>
            {f.signature.name} ({f.signature.kind === 'drawn' ? 'drawn on screen' : 'typed, agreement ticked'}
            )
            <br />
            <span class="muted">
              Signed {f.signature.signed}
              {f.signature.ip ? ` from ${f.signature.ip}` : ''}
            </span>
          </p>
        </Section>
      ) : null}
    </StaffLayout>
  );
}
