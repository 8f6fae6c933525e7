import type { Actor } from '../audit/index.ts';
import type { Answers, TemplateField } from '../chart/index.ts';
import { readTemplate } from '../chart/index.ts';
import { recordEvent } from '../record-change.ts';
import type { FormsDeps } from './forms.deps.ts';
import type { FormRow } from './forms.repo.ts';
import type { FormStatus } from './forms.schema.ts';

/** A form as a list shows it: what it is and where it stands, never an answer. */
export interface FormSummary {
  id: string;
  patientId: string;
  templateId: string;
  templateVersion: number;
  name: string;
  status: FormStatus;
  appointmentId: string | null;
  sentAt: Date;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  version: number;
}

/** A signature as recorded: how it was made, by whom, when and from where. */
export interface SignatureView {
  kind: 'drawn' | 'typed';
  name: string | null;
  image: string | null;
  signedAt: Date;
  ip: string | null;
}

/** A form with its template version's fields and its answers (the patient's own, or clinical staff). */
export interface FormDetail extends FormSummary {
  fields: TemplateField[];
  answers: Answers;
  signature: SignatureView | null;
  documentId: string | null;
}

/** The name and fields of one template version, read once per list. */
export type TemplateLookup = (
  templateId: string,
  version: number,
) => Promise<{ name: string; fields: TemplateField[] }>;

/** A lookup of template versions that reads each once (a version never changes). */
export function templateLookup(deps: Pick<FormsDeps, 'db'>): TemplateLookup {
  const seen = new Map<string, Promise<{ name: string; fields: TemplateField[] }>>();
  return (templateId, version) => {
    const key = `${templateId}@${version}`;
    let found = seen.get(key);
    if (!found) {
      found = readTemplate(deps, templateId, version).then((t) => ({ name: t.name, fields: t.fields }));
      seen.set(key, found);
    }
    return found;
  };
}

export function formSummary(row: FormRow, name: string): FormSummary {
  return {
    id: row.id,
    patientId: row.patientId,
    templateId: row.templateId,
    templateVersion: row.templateVersion,
    name,
    status: row.status as FormStatus,
    appointmentId: row.appointmentId,
    sentAt: row.sentAt,
    submittedAt: row.submittedAt,
    reviewedAt: row.reviewedAt,
    version: row.version,
  };
}

export function signatureOf(row: FormRow): SignatureView | null {
  if (!row.signedAt || (row.signatureKind !== 'drawn' && row.signatureKind !== 'typed')) return null;
  return {
    kind: row.signatureKind,
    name: row.signatureName,
    image: row.signatureImage,
    signedAt: row.signedAt,
    ip: row.signedIp,
  };
}

export function formDetail(row: FormRow, template: { name: string; fields: TemplateField[] }): FormDetail {
  return {
    ...formSummary(row, template.name),
    fields: template.fields,
    answers: JSON.parse(row.answers) as Answers,
    signature: signatureOf(row),
    documentId: row.documentId,
  };
}

/** Summaries of `rows`, each named by its template version. */
export async function summaries(lookup: TemplateLookup, rows: FormRow[]): Promise<FormSummary[]> {
  return Promise.all(
    rows.map(async (r) => formSummary(r, (await lookup(r.templateId, r.templateVersion)).name)),
  );
}

/** A form with its fields and answers, its read audited (`form.read`, with its status): patients and staff alike. */
export async function readAudited(deps: FormsDeps, actor: Actor, form: FormRow): Promise<FormDetail> {
  const detail = formDetail(form, await templateLookup(deps)(form.templateId, form.templateVersion));
  await deps.audit.recordRead(actor, recordEvent('form.read', form, { status: form.status }));
  return detail;
}
