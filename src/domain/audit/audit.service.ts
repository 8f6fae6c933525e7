import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import { appendAuditRow, type HeadState, keyChain } from './append-audit-row.ts';
import { type AuditFilter, type AuditRow, listAuditRows } from './audit.repo.ts';
import type { Actor, AuditEvent } from './audit.schema.ts';
import { type ExpectedHead, type VerifyResult, verifyAuditChain } from './verify-chain.ts';

export type { AuditRow } from './audit.repo.ts';
export type { ExpectedHead, VerifyResult } from './verify-chain.ts';

/**
 * The tamper-evident audit log. `record` appends one row in the caller's transaction, so the row
 * exists exactly when the change it describes does. Rows are chained by a keyed hash
 * (`append-audit-row.ts`, `audit.chain.ts`); `verify` walks the chain (`verify-chain.ts`).
 */
export function auditService(deps: {
  db: Db;
  clock: Clock;
  chainKey: Key;
  /** Audit keys of master keys retired by `clinicbox keys rotate`, oldest first (older rows verify with them). */
  retiredChainKeys?: Key[];
}) {
  const { db, chainKey } = deps;
  const record = (ctx: DbCtx, actor: Actor, event: AuditEvent): Promise<void> =>
    appendAuditRow(ctx, deps, actor, event);
  /**
   * Audits a read of health data: the one helper every read goes through. Runs in its own
   * transaction when not given one.
   */
  const recordRead = (actor: Actor, event: AuditEvent, ctx?: DbCtx): Promise<void> =>
    ctx ? record(ctx, actor, event) : db.tx((c) => record(c, actor, event));

  return {
    record,

    /** Audits a read of health data (in its own transaction when not given one). */
    recordRead,

    /**
     * Audits a read of a list as `recordRead` does, with how many rows it held (`details.count`,
     * after the event's own details), and answers the list.
     */
    async recordListRead<R>(actor: Actor, event: AuditEvent, rows: R[]): Promise<R[]> {
      await recordRead(actor, { ...event, details: { ...event.details, count: rows.length } });
      return rows;
    },

    /** Rows matching `filter`, newest first (100 unless `limit` says otherwise). */
    list(filter: AuditFilter = {}): Promise<AuditRow[]> {
      return listAuditRows(db.reader, filter);
    },

    /** Walks the whole chain and names the first row that does not match (see `verifyAuditChain`). */
    verify(options: { expectHead?: ExpectedHead } = {}): Promise<VerifyResult> {
      return verifyAuditChain(db.reader, chainKey, { ...options, retiredKeys: deps.retiredChainKeys ?? [] });
    },

    /**
     * Keys a log from before the master key (see `keyChain`); answers the head's state before,
     * `wrong` when the newest row does not verify with this key.
     */
    keyChain(): Promise<HeadState> {
      return db.tx((ctx) => keyChain(ctx, deps));
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
