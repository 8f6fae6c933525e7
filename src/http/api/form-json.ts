import { z } from '@hono/zod-openapi';
import { type FormDetail, type FormSummary, formStatuses } from '../../domain/forms/index.ts';
import { versionConflictAnswer } from '../kit/version-conflict.ts';
import { id, instant } from './schemas.ts';
import { templateFieldJson } from './templates.ts';

/** The JSON of patients' forms, shared by the patient app's routes and the staff's. */

export const formSummaryJson = z.object({
  id,
  patientId: id.describe('Whose form: the patient, or a dependant of theirs'),
  templateId: id,
  templateVersion: z.int().describe('The template version it is filled in with (kept after edits)'),
  name: z.string().describe('The template’s name'),
  status: z.enum(formStatuses).describe('sent → in_progress (first save) → submitted → reviewed'),
  appointmentId: id.nullable(),
  sentAt: instant,
  submittedAt: instant.nullable(),
  reviewedAt: instant.nullable(),
  version: z
    .int()
    .describe('Send it back with a save or the submission; a stale one answers 409 version_conflict'),
});

export const formDetailJson = formSummaryJson.extend({
  fields: z.array(templateFieldJson).describe('The template version’s fields'),
  answers: z.record(z.string(), z.unknown()).describe('Answers keyed by field id'),
  signature: z
    .object({
      kind: z.enum(['drawn', 'typed']),
      name: z.string().nullable(),
      signedAt: instant,
    })
    .nullable()
    .describe('Once submitted: how it was signed, by whom and when'),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const formSummaryOut = (f: FormSummary) => ({
  id: f.id,
  patientId: f.patientId,
  templateId: f.templateId,
  templateVersion: f.templateVersion,
  name: f.name,
  status: f.status,
  appointmentId: f.appointmentId,
  sentAt: f.sentAt.toISOString(),
  submittedAt: iso(f.submittedAt),
  reviewedAt: iso(f.reviewedAt),
  version: f.version,
});

export const formDetailOut = (f: FormDetail) => ({
  ...formSummaryOut(f),
  fields: f.fields,
  answers: f.answers,
  signature: f.signature
    ? { kind: f.signature.kind, name: f.signature.name, signedAt: f.signature.signedAt.toISOString() }
    : null,
});

export const formConflictAnswer = versionConflictAnswer(
  'version_conflict or form_submitted',
  z.int().optional().describe('With version_conflict: the form’s version now'),
  'version_conflict (nothing changed; `currentVersion` says the form’s version) or form_submitted',
);
