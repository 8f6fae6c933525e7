import type { DbCtx } from '../../db/client.ts';
import type { TemplateField } from '../chart/index.ts';
import { recordChange } from '../record-change.ts';
import { FormVersionConflict, formSubmitted } from './form-errors.ts';
import { templateLookup } from './form-view.ts';
import type { FormsDeps } from './forms.deps.ts';
import { formInScope, scopeOf } from './forms.policy.ts';
import { type FormRow, type FormRowChanges, findFormById, updateFormAt } from './forms.repo.ts';
import { openStatuses } from './forms.schema.ts';
import type { PatientActor } from './patient-forms.ts';

/**
 * The first step of a patient's change of a form: the form `id` in their scope (404 otherwise),
 * still open (409 form_submitted) and at the `version` they read (409 version_conflict), with its
 * template's fields.
 */
export async function openOwnForm(
  deps: FormsDeps,
  actor: PatientActor,
  id: string,
  version: number,
): Promise<{ form: FormRow; template: { name: string; fields: TemplateField[] } }> {
  const form = formInScope(await scopeOf(deps, actor), await findFormById(deps.db.reader, id));
  if (!openStatuses.includes(form.status as never)) throw formSubmitted();
  if (form.version !== version) throw new FormVersionConflict(form.version);
  return { form, template: await templateLookup(deps)(form.templateId, form.templateVersion) };
}

/**
 * Writes `changes` to the patient's form in the caller's transaction, only while it is still at
 * the `version` read and open — else 409 version_conflict or form_submitted, as it now stands —
 * and audits `action` with `details` (ids and counts only). Answers the row as it now stands.
 */
export async function saveOwnForm(
  deps: Pick<FormsDeps, 'audit'>,
  ctx: DbCtx,
  actor: PatientActor,
  form: { id: string; version: number },
  changes: FormRowChanges,
  audit: { action: `form.${string}`; details: (row: FormRow) => Parameters<typeof recordChange>[5] },
): Promise<FormRow> {
  const row = await updateFormAt(ctx, form.id, form.version, openStatuses, changes);
  if (!row) {
    const current = (await findFormById(ctx, form.id))!;
    throw openStatuses.includes(current.status as never)
      ? new FormVersionConflict(current.version)
      : formSubmitted();
  }
  await recordChange(deps.audit, ctx, actor, audit.action, row, audit.details(row));
  return row;
}
