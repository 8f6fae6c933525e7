import type { Db } from '../../db/client.ts';
import { type AppError, notFound, type Subject } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';

/*
 * A patient who names an appointment, waitlist entry or patient outside their family — or an id
 * that does not exist: a probe looks the same — is answered 404, so they never learn whether it
 * exists, and the attempt is audited as `access.refused`: who asked, the entity and the id they
 * named; never its owner or contents. The refusal is thrown inside the use case's transaction,
 * which then rolls back, so its row is written afterwards, in a transaction of its own.
 */

/** What each refusal asked for, by the error that answers it. */
const refusals = new WeakMap<AppError, { entity: string; entityId: string }>();

/** The 404 a patient gets for `entity` `entityId` outside their family; audited by `auditingRefusals`. */
export function patientRefused(subject: Subject, entity: string, entityId: string): AppError {
  const error = notFound(subject);
  refusals.set(error, { entity, entityId });
  return error;
}

/** What `actor` gets for `entity` `entityId` they may not see: a patient's refusal, else a plain 404. */
export const notFoundFor = (actor: Actor, subject: Subject, entity: string, entityId: string): AppError =>
  actor.type === 'patient' ? patientRefused(subject, entity, entityId) : notFound(subject);

/** Runs a use case for `actor`; a `patientRefused` error it throws is audited, then thrown on. */
export async function auditingRefusals<T>(
  deps: { db: Db; audit: AuditService },
  actor: Actor,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const refused = refusals.get(e as AppError);
    if (refused) {
      await deps.db.tx((ctx) => deps.audit.record(ctx, actor, { action: 'access.refused', ...refused }));
    }
    throw e;
  }
}
