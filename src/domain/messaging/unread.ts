import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { type PatientActor, scopeOf } from './messaging.policy.ts';
import { countUnreadForPatient, countUnreadForStaff } from './messaging.repo.ts';

/**
 * Unread counts (counts of threads, not of messages; no content, so not audited): the app's tab
 * badge — threads of the patient's scope with a staff message they have not read — and the staff
 * navigation badge — open threads assigned to the member (`mine`) or to the front desk
 * (`unassigned`) with a patient message they have not read.
 */
export async function countOwnUnread(deps: MessagingDeps, actor: PatientActor): Promise<number> {
  return countUnreadForPatient(deps.db.reader, [...(await scopeOf(deps, actor))], actor.id);
}

export async function countStaffUnread(
  deps: MessagingDeps,
  actor: Actor,
): Promise<{ mine: number; unassigned: number; total: number }> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.read');
  const c = await countUnreadForStaff(deps.db.reader, member.actor.id);
  return { ...c, total: c.mine + c.unassigned };
}
