import type { DbCtx } from '../../db/client.ts';
import { advisoryLock } from '../../db/locks.ts';
import type { Clock } from '../../lib/clock.ts';
import { auditHash } from './audit.chain.ts';
import { findLastAuditHash, insertAuditRow } from './audit.repo.ts';
import { type Actor, type AuditEvent, GENESIS_HASH } from './audit.schema.ts';

const AUDIT_LOCK = 4242002;

/**
 * Appends one row, chained to the newest, in the caller's transaction: the row exists exactly
 * when the change it describes does. On PostgreSQL an advisory lock serializes appends so
 * concurrent transactions cannot fork the chain (SQLite's single writer already does).
 */
export async function appendAuditRow(
  ctx: DbCtx,
  clock: Clock,
  actor: Actor,
  event: AuditEvent,
): Promise<void> {
  await advisoryLock(ctx, AUDIT_LOCK);
  const last = await findLastAuditHash(ctx);
  const fields = {
    at: clock.now(),
    actorType: actor.type,
    actorId: actor.id,
    action: event.action,
    entity: event.entity,
    entityId: event.entityId ?? null,
    patientId: event.patientId ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent?.slice(0, 400) ?? null,
    requestId: actor.requestId ?? null,
    details: event.details ?? null,
  };
  const prevHash = last ?? GENESIS_HASH;
  await insertAuditRow(ctx, { ...fields, prevHash, hash: auditHash(prevHash, fields) });
}
