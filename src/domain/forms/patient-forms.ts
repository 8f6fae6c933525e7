import { validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { mergeAnswers } from '../chart/index.ts';
import {
  type FormDetail,
  type FormSummary,
  formDetail,
  readAudited,
  summaries,
  templateLookup,
} from './form-view.ts';
import type { FormsDeps } from './forms.deps.ts';
import { formInScope, scopeOf } from './forms.policy.ts';
import { findFormById, listFormsOfPatients } from './forms.repo.ts';
import { saveAnswersInput } from './forms.schema.ts';
import { openOwnForm, saveOwnForm } from './own-form-change.ts';

/**
 * The patient app's forms: those of the signed-in patient and of their dependants, held to that
 * scope here (anything else is "not found"). Every read and change is audited with ids only.
 */
export type PatientActor = Actor & { id: string };

/** The forms sent to the patient and their dependants, newest first; audited as one read. */
export async function listOwnForms(deps: FormsDeps, actor: PatientActor): Promise<FormSummary[]> {
  const scope = await scopeOf(deps, actor);
  const rows = await listFormsOfPatients(deps.db.reader, [...scope]);
  const list = await summaries(templateLookup(deps), rows);
  return deps.audit.recordListRead(actor, { action: 'form.list-own', entity: 'form' }, list);
}

/** One form with its fields and the answers saved so far; audited. */
export async function readOwnForm(deps: FormsDeps, actor: PatientActor, id: string): Promise<FormDetail> {
  const form = formInScope(await scopeOf(deps, actor), await findFormById(deps.db.reader, id));
  return readAudited(deps, actor, form);
}

/**
 * Saves answers as the patient goes (`{version, answers}`): the changed answers merged over the
 * saved ones (null clears one), each checked against its field; only if the form is still at the
 * version read (else 409 version_conflict, nothing changed) and still open (else 409
 * form_submitted). The first save moves it from sent to in_progress. Audited with the new version.
 */
export async function saveOwnAnswers(
  deps: FormsDeps,
  actor: PatientActor,
  id: string,
  input: unknown,
): Promise<FormDetail> {
  const data = validated(saveAnswersInput, input);
  const { form, template } = await openOwnForm(deps, actor, id, data.version);
  const answers = mergeAnswers(template.fields, JSON.parse(form.answers), data.answers);
  const saved = await deps.db.tx((ctx) =>
    saveOwnForm(
      deps,
      ctx,
      actor,
      form,
      { answers: JSON.stringify(answers), status: 'in_progress', updatedAt: deps.clock.now() },
      { action: 'form.save', details: (row) => ({ version: row.version }) },
    ),
  );
  return formDetail(saved, template);
}
