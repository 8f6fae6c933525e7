import type { DbCtx } from '../../db/client.ts';
import type { Actor, AuditEvent, AuditService } from '../audit/index.ts';

/**
 * Records a change of a note (`note.create`, `note.save`, `note.sign`, `note.addendum`) in the
 * audit log, in the change's transaction: the note, its patient and `details` — never its text.
 */
export function recordNoteChange(
  audit: AuditService,
  ctx: DbCtx,
  actor: Actor,
  action: `note.${string}`,
  note: { id: string; patientId: string },
  details: AuditEvent['details'],
): Promise<void> {
  return audit.record(ctx, actor, {
    action,
    entity: 'note',
    entityId: note.id,
    patientId: note.patientId,
    details,
  });
}
