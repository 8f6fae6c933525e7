import { notFound } from '../../lib/errors.ts';
import type { ActingStaff } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { patientScope } from '../patients/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import type { ThreadRow } from './messaging.repo.ts';

/**
 * Who may do what with messages. Staff: `patients.read` reads threads, lists and counts (the
 * front desk answers most messages, so it is not a clinical permission); `patients.write` starts,
 * replies, assigns, closes, reopens and assigns unmatched SMS; `settings.manage` edits quick
 * replies and the clinic's messaging settings. Attachments keep the documents area's rules (the
 * front desk never sees a clinical document through a message). A patient reaches the threads of
 * their own record and of the dependants they are guardian of now (the patients area's
 * `patientScope`): when a guardian link ends, so does access — anything else is "not found".
 */
export type StaffMember = ActingStaff;

/** A signed-in patient (the app): their id. */
export type PatientActor = Actor & { id: string };

/** Whose threads a signed-in patient reaches now: their own and their current dependants'. */
export const scopeOf = (
  deps: Pick<MessagingDeps, 'db' | 'clock'>,
  actor: PatientActor,
): Promise<Set<string>> => patientScope(deps.db.reader, actor.id, deps.clock.now());

/** The thread, if it exists and is within the patient's scope; else 404 (a probe looks the same). */
export function threadInScope(scope: ReadonlySet<string>, thread: ThreadRow | null): ThreadRow {
  if (!thread || !scope.has(thread.patientId)) throw notFound('that_thread');
  return thread;
}

/** The thread for staff, else 404. */
export function threadFound(thread: ThreadRow | null): ThreadRow {
  if (!thread) throw notFound('that_thread');
  return thread;
}
