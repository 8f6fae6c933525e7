import { conflict, notFound } from '../../lib/errors.ts';
import { can } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById, findPatientNames, type PatientName } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import { type FormDetail, type FormSummary, readAudited, summaries, templateLookup } from './form-view.ts';
import type { FormsDeps } from './forms.deps.ts';
import { staffWho } from './forms.policy.ts';
import { findFormById, listFormsOfPatients, listSubmittedForms, markFormReviewed } from './forms.repo.ts';

/** A chart's forms: every member with `patients.read` sees them and their status; clinical staff also read answers. */
export interface ChartForms {
  forms: FormSummary[];
  /** Whether the member may open a form's answers (clinical.read). */
  answersReadable: boolean;
}

/** The forms sent to a patient, newest first (status only: answers are read one by one); audited. */
export async function listFormsOfPatient(
  deps: FormsDeps,
  actor: Actor,
  patientId: string,
): Promise<ChartForms> {
  const who = await staffWho(deps, actor, 'patients.read');
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  const rows = await listFormsOfPatients(deps.db.reader, [patientId]);
  const forms = await summaries(templateLookup(deps), rows);
  await deps.audit.recordRead(actor, {
    action: 'form.list',
    entity: 'form',
    patientId,
    details: { count: forms.length },
  });
  return { forms, answersReadable: can(who.role, 'clinical.read') };
}

/** A form with its answers and signature, for clinical staff (`clinical.read`); audited every time. */
export async function readForm(
  deps: FormsDeps,
  actor: Actor,
  id: string,
  scope: { patientId?: string } = {},
): Promise<FormDetail> {
  await staffWho(deps, actor, 'clinical.read');
  return readAudited(deps, actor, await formOnChart(deps, id, scope));
}

/** The form, on the chart asked for (`scope`); else 404. */
async function formOnChart(deps: FormsDeps, id: string, scope: { patientId?: string }) {
  const form = await findFormById(deps.db.reader, id);
  if (!form || (scope.patientId !== undefined && form.patientId !== scope.patientId))
    throw notFound('that_form');
  return form;
}

/** A submitted form waiting for review, with its patient's name (the Inbox). */
export type FormToReview = FormSummary & { patient: PatientName };

/** Submitted forms not yet reviewed, oldest first (clinical staff); audited as one read. */
export async function listFormsToReview(deps: FormsDeps, actor: Actor, limit = 50): Promise<FormToReview[]> {
  await staffWho(deps, actor, 'clinical.read');
  const rows = await listSubmittedForms(deps.db.reader, limit);
  const names = await findPatientNames(deps.db.reader, [...new Set(rows.map((r) => r.patientId))]);
  const list = await summaries(templateLookup(deps), rows);
  const named = list.flatMap((f) => {
    const patient = names.get(f.patientId);
    return patient ? [{ ...f, patient }] : [];
  });
  return deps.audit.recordListRead(actor, { action: 'form.list-to-review', entity: 'form' }, named);
}

/** Clinical staff mark a submitted form reviewed (409 form_not_submitted otherwise); audited. */
export async function markReviewed(
  deps: FormsDeps,
  actor: Actor,
  id: string,
  scope: { patientId?: string } = {},
): Promise<FormSummary> {
  const who = await staffWho(deps, actor, 'clinical.read');
  await formOnChart(deps, id, scope); // 404 unless on this chart (the scope's patient)
  const row = await deps.db.tx(async (ctx) => {
    const reviewed = await markFormReviewed(ctx, id, who.actor.id, deps.clock.now());
    if (!reviewed)
      throw conflict('Only a submitted form not yet reviewed can be marked reviewed.', 'form_not_submitted');
    await recordChange(deps.audit, ctx, actor, 'form.review', reviewed);
    return reviewed;
  });
  const [summary] = await summaries(templateLookup(deps), [row]);
  return summary!;
}
