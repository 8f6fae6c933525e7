import { fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { type Answers, missingRequired, type TemplateField } from '../chart/index.ts';
import { findPatientById } from '../patients/index.ts';
import { type FormDetail, formDetail } from './form-view.ts';
import type { FormsDeps } from './forms.deps.ts';
import { MAKE_FORM_PDF } from './forms.jobs.ts';
import { type SignatureInput, submitInput } from './forms.schema.ts';
import { openOwnForm, saveOwnForm } from './own-form-change.ts';
import type { PatientActor } from './patient-forms.ts';

/**
 * The patient submits a form (`{version, signature?}`): every required field answered, and a
 * signature when the template has a signature field — drawn (a PNG) or a typed name with the
 * agreement ticked — recorded with the time, the address the request came from and its browser.
 * The template's signature fields take that signature as their answer. The form is then locked
 * (409 form_submitted for any change) and a job makes its PDF into the patient's documents.
 * Audited (the signature's kind, never its content).
 */
export async function submitOwnForm(
  deps: FormsDeps,
  actor: PatientActor,
  id: string,
  input: unknown,
): Promise<FormDetail> {
  const data = validated(submitInput, input);
  const { form, template } = await openOwnForm(deps, actor, id, data.version);
  const signatureFields = template.fields.filter((f) => f.type === 'signature');
  if (signatureFields.length && !data.signature)
    throw validationFailed([fieldIssue('signature', 'form_signature_required')]);
  const signer = data.signature ? await signerName(deps, actor, data.signature) : null;
  const answers = withSignature(JSON.parse(form.answers) as Answers, signatureFields, data.signature, signer);
  const missing = missingRequired(template.fields, answers);
  if (missing.length) throw validationFailed(missing);
  const now = deps.clock.now();
  const saved = await deps.db.tx(async (ctx) => {
    const row = await saveOwnForm(
      deps,
      ctx,
      actor,
      form,
      {
        answers: JSON.stringify(answers),
        status: 'submitted',
        updatedAt: now,
        submittedAt: now,
        submittedBy: actor.id,
        ...(data.signature
          ? {
              signatureKind: data.signature.kind,
              signatureName: signer,
              signatureImage: data.signature.kind === 'drawn' ? data.signature.image : null,
              signedAt: now,
              signedIp: actor.ip ?? null,
              signedUserAgent: actor.userAgent?.slice(0, 500) ?? null,
            }
          : {}),
      },
      {
        action: 'form.submit',
        details: (saved) => ({ version: saved.version, signature: data.signature?.kind ?? null }),
      },
    );
    await deps.queue.enqueue(ctx, MAKE_FORM_PDF, { formId: row.id }, { uniqueKey: `form-pdf:${row.id}` });
    return row;
  });
  return formDetail(saved, template);
}

/** The name a signature carries: the one typed, else the signer's own name on record. */
async function signerName(deps: FormsDeps, actor: PatientActor, signature: SignatureInput): Promise<string> {
  if (signature.name) return signature.name;
  const me = await findPatientById(deps.db.reader, actor.id);
  return me ? `${me.firstName} ${me.lastName}` : 'Patient';
}

/** The answers with each signature field answered by the signer's name. */
function withSignature(
  answers: Answers,
  fields: TemplateField[],
  signature: SignatureInput | undefined,
  name: string | null,
): Answers {
  if (!signature || !name) return answers;
  const next = { ...answers };
  // The drawing itself is kept once, with the form's signature (signature_image).
  for (const f of fields) next[f.id] = { name };
  return next;
}
