import { notFound } from '../../lib/errors.ts';
import { type ActingStaff, staffChecks } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { patientScope } from '../patients/index.ts';
import type { FormsDeps } from './forms.deps.ts';
import type { FormRow } from './forms.repo.ts';

/**
 * Who may do what with patients' forms. Staff with `patients.write` send a form (the front desk
 * too: sending shows nothing of an answer); `patients.read` sees which forms a chart has and their
 * status; the answers, the Inbox's "forms to review" and marking reviewed need `clinical.read`.
 * A patient reaches the forms of their own record and their dependants' (the patients area's
 * `patientScope`), and anything else is "not found". The route's policy checked the first
 * permission already; this checks again with the role read from the database.
 */
export type StaffMember = ActingStaff;

/**
 * Refuses unless the member's role has a permission (`assertCan`), or reads the acting member and
 * refuses unless theirs has it (`staffWho`, a use case's first step); a clinical one is refused in
 * these words.
 */
export const { assertCan, staffWho } = staffChecks(
  'Form answers need a clinical role. Ask an administrator if you need it.',
);

/** Whose forms a signed-in patient reaches now: their own and their dependants'. */
export const scopeOf = (
  deps: Pick<FormsDeps, 'db' | 'clock'>,
  actor: Actor & { id: string },
): Promise<Set<string>> => patientScope(deps.db.reader, actor.id, deps.clock.now());

/** The form, if it is there and within the patient's scope; else 404 (a probe looks the same). */
export function formInScope(scope: ReadonlySet<string>, form: FormRow | null): FormRow {
  if (!form || !scope.has(form.patientId)) throw notFound('that_form');
  return form;
}
