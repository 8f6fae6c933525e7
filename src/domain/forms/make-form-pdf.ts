import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { systemActor } from '../audit/index.ts';
import { type Answers, renderAnswersPdf } from '../chart/index.ts';
import { findPatientById } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import { signatureOf, templateLookup } from './form-view.ts';
import type { FormsDeps } from './forms.deps.ts';
import { findFormById, setFormDocument } from './forms.repo.ts';

/**
 * Makes the PDF of a submitted form and stores it in the patient's documents (category consent:
 * clinical, so the front desk cannot open it), through the documents area's audited upload as
 * the system; then links it to the form. Safe to run twice: a form with its PDF is skipped, and a
 * second PDF made by a run racing another is deleted again.
 */
export async function makeFormPdf(deps: FormsDeps, formId: string): Promise<void> {
  const form = await findFormById(deps.db.reader, formId);
  if (!form?.submittedAt || form.documentId) return;
  const [template, clinic, patient] = await Promise.all([
    templateLookup(deps)(form.templateId, form.templateVersion),
    deps.clinic.get(),
    findPatientById(deps.db.reader, form.patientId),
  ]);
  const local = (d: Date) =>
    DateTime.fromJSDate(d, { zone: clinic.timeZone }).toFormat("d LLLL yyyy 'at' HH:mm ZZZZ");
  const signature = signatureOf(form);
  const bytes = await renderAnswersPdf(
    {
      clinicName: clinic.name,
      lines: [
        [clinic.address.replace(/\n/g, ', '), clinic.phone].filter(Boolean).join(' · '),
        patient ? `Patient: ${patient.firstName} ${patient.lastName}, born ${patient.dateOfBirth}` : '',
        `Submitted ${local(form.submittedAt)}`,
      ],
    },
    [
      {
        title: `${template.name} (version ${form.templateVersion})`,
        fields: template.fields,
        answers: JSON.parse(form.answers) as Answers,
        signature: signature ? { ...signature, signedAt: local(signature.signedAt) } : null,
      },
    ],
  );
  const doc = await deps.documents.upload(systemActor, form.patientId, {
    file: Readable.from([Buffer.from(bytes)]),
    fileName: `${template.name.replace(/[^\p{L}\p{N} -]+/gu, '').trim() || 'form'}.pdf`,
    fields: {
      category: 'consent',
      title: `${template.name} (form, version ${form.templateVersion})`,
      appointmentId: form.appointmentId ?? '',
    },
  });
  const linked = await deps.db.tx(async (ctx) => {
    const row = await setFormDocument(ctx, form.id, doc.id);
    if (row) await recordChange(deps.audit, ctx, systemActor, 'form.pdf', row, { documentId: doc.id });
    return row;
  });
  if (!linked) await deps.documents.remove(systemActor, doc.id, { reason: 'A second PDF of the same form.' });
}
