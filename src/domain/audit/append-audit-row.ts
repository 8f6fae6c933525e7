import type { DbCtx } from '../../db/client.ts';
import { advisoryLock } from '../../db/locks.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import { auditHash, type ChainedFields, hashKindOf } from './audit.chain.ts';
import { type AuditRow, findLastAuditRow, insertAuditRow } from './audit.repo.ts';
import { type Actor, type AuditEvent, GENESIS_HASH, systemActor } from './audit.schema.ts';

const AUDIT_LOCK = 4242002;

export interface ChainDeps {
  clock: Clock;
  /** The audit key (derived from the clinic master key). */
  chainKey: Key;
}

/** What the newest row says about the chain: keyed with this key, unkeyed (older), or neither. */
export type HeadState = 'empty' | 'keyed' | 'unkeyed' | 'wrong';

/**
 * Appends one row, chained to the newest, in the caller's transaction: the row exists exactly
 * when the change it describes does. On PostgreSQL an advisory lock serializes appends so
 * concurrent transactions cannot fork the chain (SQLite's single writer already does). The
 * first row written after an unkeyed chain is an `audit.chain-keyed` row (`keyChain`).
 */
export async function appendAuditRow(
  ctx: DbCtx,
  deps: ChainDeps,
  actor: Actor,
  event: AuditEvent,
): Promise<void> {
  await advisoryLock(ctx, AUDIT_LOCK);
  let last = await findLastAuditRow(ctx);
  if (last && hashKindOf(deps.chainKey, last) === 'unkeyed') last = await appendKeyingRow(ctx, deps, last);
  await appendRow(ctx, deps.chainKey, last, fieldsOf(deps.clock, actor, event));
}

/**
 * Looks at the newest row; when it is on the unkeyed chain (a log from before the master key),
 * appends the `audit.chain-keyed` row that continues it keyed. Answers the head's state before.
 */
export async function keyChain(ctx: DbCtx, deps: ChainDeps): Promise<HeadState> {
  await advisoryLock(ctx, AUDIT_LOCK);
  const last = await findLastAuditRow(ctx);
  if (!last) return 'empty';
  const kind = hashKindOf(deps.chainKey, last);
  if (kind === 'unkeyed') await appendKeyingRow(ctx, deps, last);
  return kind;
}

/**
 * The row that begins the keyed chain after the unkeyed rows (up to `last`): its keyed hash
 * covers the last unkeyed row's hash, so none of those rows can change any more without the key.
 */
function appendKeyingRow(ctx: DbCtx, deps: ChainDeps, last: AuditRow): Promise<AuditRow> {
  return appendRow(
    ctx,
    deps.chainKey,
    last,
    fieldsOf(deps.clock, systemActor, {
      action: 'audit.chain-keyed',
      entity: 'audit_log',
      entityId: String(last.id),
      details: { unkeyedHead: last.id },
    }),
  );
}

async function appendRow(
  ctx: DbCtx,
  key: Key,
  last: AuditRow | null,
  fields: ChainedFields & Pick<AuditRow, 'actorType' | 'details'>,
): Promise<AuditRow> {
  const id = (last?.id ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row: AuditRow = { ...fields, id, prevHash, hash: auditHash(key, id, prevHash, fields) };
  await insertAuditRow(ctx, row);
  return row;
}

function fieldsOf(clock: Clock, actor: Actor, event: AuditEvent) {
  return {
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
}
