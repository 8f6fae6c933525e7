import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import type { Logger } from '../../lib/log.ts';
import { appendAuditRow, appendSealedRow, type HeadState, keyChain } from './append-audit-row.ts';
import { type AuditFilter, type AuditRow, listAuditRows } from './audit.repo.ts';
import type { Actor, AuditEvent } from './audit.schema.ts';
import { auditSealer } from './audit.sealer.ts';
import { type ExpectedHead, type VerifyResult, verifyAuditChain } from './verify-chain.ts';

export type { AuditRow } from './audit.repo.ts';
export type { ExpectedHead, VerifyResult } from './verify-chain.ts';

/**
 * The tamper-evident audit log. `record` inserts one row in the caller's transaction, so the row
 * exists exactly when the change it describes does; it is chained by a keyed hash on PostgreSQL
 * soon after the commit, in batches (`audit.sealer.ts`), on SQLite as it is inserted
 * (`append-audit-row.ts`, `audit.chain.ts`); `verify` seals what is pending and walks the chain
 * (`verify-chain.ts`).
 */
export function auditService(deps: {
  db: Db;
  clock: Clock;
  chainKey: Key;
  /** Audit keys of master keys retired by `clinicbox keys rotate`, oldest first (older rows verify with them). */
  retiredChainKeys?: Key[];
  log?: Logger;
  /** Seal soon after each audited commit (default); off only in tests that look at unsealed rows. */
  sealAfterCommit?: boolean;
}) {
  const { db, chainKey } = deps;
  const sealer = auditSealer({ db, chainKey, log: deps.log });
  const autoSeal = deps.sealAfterCommit !== false;
  const record = async (ctx: DbCtx, actor: Actor, event: AuditEvent): Promise<void> => {
    // SQLite's one writer serializes transactions: the row goes in sealed, waiting for no one.
    // PostgreSQL's transactions run side by side: rows go in unsealed, sealed after the commit.
    if (ctx.dialect === 'sqlite' && autoSeal) return appendSealedRow(ctx, deps, actor, event);
    await appendAuditRow(ctx, deps, actor, event);
    if (autoSeal) ctx.afterCommit(sealer.kick);
  };
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

    /**
     * Seals what is pending, then walks the whole chain and names the first row that does not
     * match, or a row left unsealed too long (see `verifyAuditChain`).
     */
    async verify(options: { expectHead?: ExpectedHead } = {}): Promise<VerifyResult> {
      try {
        await sealer.sealAll();
      } catch (e) {
        // Verify what there is: rows the sealer cannot seal are named as unsealed.
        deps.log?.warn('audit rows could not be sealed before verifying', { error: (e as Error).message });
      }
      return verifyAuditChain(db.reader, chainKey, {
        ...options,
        retiredKeys: deps.retiredChainKeys ?? [],
        now: deps.clock.now(),
      });
    },

    /**
     * Seals every row committed before the call into the chain (what backup, key rotation and
     * the anchor need before they read the head). Answers how many it sealed.
     */
    seal(): Promise<number> {
      return sealer.sealAll();
    },

    /** Starts sealing in the background: kicked after each commit, swept every second. */
    startSealing(): void {
      sealer.start();
    },

    /** Stops background sealing and seals what is pending (before the database closes). */
    stopSealing(): Promise<void> {
      return sealer.stop();
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
