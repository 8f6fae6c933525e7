import type { DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import { hashKindOf, rowMac, sealHash } from './audit.chain.ts';
import {
  type AuditRow,
  type AuditSeal,
  findChainHead,
  findChainLink,
  findChainLinkOnSqlite,
  insertAuditRow,
  insertSealedAuditRow,
  listUnsealedAuditRows,
  lockAuditLog,
  sealAuditRows,
} from './audit.repo.ts';
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
 * Inserts one row, unsealed, in the caller's transaction: the row exists exactly when the change
 * it describes does. It takes no lock and reads no other row — its MAC (keyed, over its fields)
 * is all it computes — so audited transactions never wait for one another; `sealPending` chains
 * it soon after it commits.
 */
export async function appendAuditRow(
  ctx: DbCtx,
  deps: ChainDeps,
  actor: Actor,
  event: AuditEvent,
): Promise<void> {
  await insertRow(ctx, deps.chainKey, fieldsOf(deps.clock, actor, event));
}

/**
 * SQLite: inserts the row sealed — the next position after the chain's head, linked to its hash —
 * in the caller's transaction. SQLite's one writer runs one transaction at a time, so the head
 * read here cannot move before this commits (another process's writes wait for the write lock);
 * a savepoint or transaction rolled back takes its rows with it, and the next insert reads the
 * head again. Inserting rows unsealed and sealing a commit group's rows just before it committed
 * cost each row an update (and its trigger) and the group a read of the unsealed rows: a third of
 * an audited read's database time.
 */
export async function appendSealedRow(
  ctx: DbCtx,
  deps: ChainDeps,
  actor: Actor,
  event: AuditEvent,
): Promise<void> {
  const head = await findChainLinkOnSqlite(ctx);
  const fields = fieldsOf(deps.clock, actor, event);
  const mac = rowMac(deps.chainKey, fields);
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  await insertSealedAuditRow(ctx, {
    ...fields,
    mac,
    seq,
    prevHash,
    hash: sealHash(deps.chainKey, seq, prevHash, mac),
  });
}

/**
 * Seals up to `limit` unsealed rows, in id order, after the chain's head: each gets the next
 * `seq`, the previous row's hash and its own (over its MAC). One sealer at a time (the advisory
 * lock on PostgreSQL; SQLite's one writer), so the chain cannot fork however many instances run;
 * on PostgreSQL a row committed after a higher id was sealed simply takes a later position.
 * `lazyCommit` (the sealer's own transactions, on PostgreSQL): the commit does not wait for its
 * WAL flush. A crash may then forget the last seals — never the rows, committed durably with
 * their changes, which the next sweep seals again — and WAL order means a seal is never kept
 * without those before it. Answers how many rows it sealed.
 */
export async function sealPending(
  ctx: DbCtx,
  deps: Pick<ChainDeps, 'chainKey'>,
  limit = 2000,
  lazyCommit = false,
): Promise<number> {
  await lockAuditLog(ctx, AUDIT_LOCK, lazyCommit);
  // Both reads at once: on PostgreSQL they share one round trip (postgres.js pipelines them).
  const [pending, head] = await Promise.all([listUnsealedAuditRows(ctx, limit), findChainLink(ctx)]);
  if (pending.length === 0) return 0;
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const seals: AuditSeal[] = pending.map((row) => {
    seq++;
    const hash = sealHash(deps.chainKey, seq, prevHash, row.mac);
    const seal = { id: row.id, seq, prevHash, hash };
    prevHash = hash;
    return seal;
  });
  await sealAuditRows(ctx, seals);
  return seals.length;
}

/**
 * Seals what is pending, then looks at the chain's head; when it is on the unkeyed chain (a log
 * from before the master key), appends the `audit.chain-keyed` row that continues it keyed, and
 * seals it. Answers the head's state before that row.
 */
export async function keyChain(ctx: DbCtx, deps: ChainDeps): Promise<HeadState> {
  await sealPending(ctx, deps);
  const last = await findChainHead(ctx);
  if (!last) return 'empty';
  const kind = hashKindOf(deps.chainKey, sealedRow(last));
  if (kind === 'unkeyed') {
    await insertRow(
      ctx,
      deps.chainKey,
      fieldsOf(deps.clock, systemActor, {
        action: 'audit.chain-keyed',
        entity: 'audit_log',
        entityId: String(last.seq),
        details: { unkeyedHead: last.seq },
      }),
    );
    await sealPending(ctx, deps);
  }
  return kind;
}

/** A row known to be sealed, typed so. */
export function sealedRow(row: AuditRow) {
  return { ...row, seq: row.seq!, prevHash: row.prevHash!, hash: row.hash! };
}

function insertRow(ctx: DbCtx, key: Key, fields: ReturnType<typeof fieldsOf>): Promise<void> {
  return insertAuditRow(ctx, { ...fields, mac: rowMac(key, fields) });
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
