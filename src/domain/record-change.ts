import type { DbCtx } from '../db/client.ts';
import type { Actor, AuditEvent, AuditService } from './audit/index.ts';

/**
 * Records a change of one record of a patient's (a note's `note.sign`, a document's
 * `document.delete`…) in the audit log, in the change's transaction: the entity is the action's
 * first word, with the record's id, its patient and `details` when given — never its contents.
 */
export function recordChange(
  audit: AuditService,
  ctx: DbCtx,
  actor: Actor,
  action: `${string}.${string}`,
  record: { id: string; patientId: string },
  details?: AuditEvent['details'],
): Promise<void> {
  return audit.record(ctx, actor, recordEvent(action, record, details));
}

/**
 * The audit event of an action on one record of a patient's, as `recordChange` writes it (and a
 * read of one, for `audit.recordRead`): the entity is the action's first word, with the record's
 * id, its patient and `details` when given.
 */
export function recordEvent(
  action: `${string}.${string}`,
  record: { id: string; patientId: string },
  details?: AuditEvent['details'],
): AuditEvent {
  return {
    action,
    entity: action.slice(0, action.indexOf('.')),
    entityId: record.id,
    patientId: record.patientId,
    ...(details === undefined ? {} : { details }),
  };
}
