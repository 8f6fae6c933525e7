import type { DbCtx } from '../../db/client.ts';
import type { Actor, AuditEvent, AuditService } from '../audit/index.ts';

/**
 * Records a change of a document (`document.upload`, `.update`, `.review`, `.delete`, `.purge`,
 * `.integrity-failed`) in the audit log, in the change's transaction: the document, its patient
 * and `details` when given — never its title or contents.
 */
export function recordDocumentChange(
  audit: AuditService,
  ctx: DbCtx,
  actor: Actor,
  action: `document.${string}`,
  doc: { id: string; patientId: string },
  details?: AuditEvent['details'],
): Promise<void> {
  return audit.record(ctx, actor, {
    action,
    entity: 'document',
    entityId: doc.id,
    patientId: doc.patientId,
    ...(details === undefined ? {} : { details }),
  });
}
