import { type AppError, notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { patientScope } from '../patients/index.ts';
import type { DocumentsDeps } from './documents.deps.ts';

/**
 * Whose documents a signed-in patient reaches now: their own and those of the dependants they are
 * still guardian of (the patients area's `patientScope`, the same rule as appointments and the
 * waitlist). Every patient-facing use case of this area asks it first.
 */
export const scopeOf = (
  deps: Pick<DocumentsDeps, 'db' | 'clock'>,
  actor: Actor & { id: string },
): Promise<Set<string>> => patientScope(deps.db.reader, actor.id, deps.clock.now());

/**
 * The 404 a patient gets for naming a record outside their family (or one that does not exist:
 * a probe looks the same), audited as `access.refused` with the id they named, never its owner.
 */
export async function refusedPatient(
  deps: Pick<DocumentsDeps, 'db' | 'audit'>,
  actor: Actor,
  patientId: string,
): Promise<AppError> {
  await deps.db.tx((ctx) =>
    deps.audit.record(ctx, actor, { action: 'access.refused', entity: 'patient', entityId: patientId }),
  );
  return notFound('that_patient');
}
