import { and, asc, desc, eq, gt, gte, lt } from 'drizzle-orm';
import type { Db, DbCtx } from '../../db/client.ts';
import { advisoryLock } from '../../db/locks.ts';
import type { Clock } from '../../lib/clock.ts';
import { auditHash } from './audit.chain.ts';
import { type Actor, type AuditEvent, GENESIS_HASH } from './audit.schema.ts';

/**
 * The tamper-evident audit log. `record` appends one row in the caller's transaction, so the row
 * exists exactly when the change it describes does. Rows are chained by hash; on PostgreSQL an
 * advisory lock serializes appends so concurrent transactions cannot fork the chain (SQLite's
 * single writer already does).
 */
export type AuditRow = Awaited<ReturnType<ReturnType<typeof auditService>['list']>>[number];

export interface VerifyResult {
  ok: boolean;
  rows: number;
  /** The hash of the last row that verified (the genesis hash for an empty log). */
  head: string;
  /** That row's id (null for an empty log): record `headId:head` to detect rows cut from the end. */
  headId: number | null;
  /** The first row whose hash or link does not match (or the recorded head that is gone), and why. */
  brokenAt?: { id: number; reason: string };
}

/** A head recorded earlier (`clinicbox audit verify` prints it): that row must still be in the chain. */
export interface ExpectedHead {
  id: number;
  hash: string;
}

const AUDIT_LOCK = 4242002;

export function auditService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function record(ctx: DbCtx, actor: Actor, event: AuditEvent): Promise<void> {
    const t = ctx.t.auditLog;
    await advisoryLock(ctx, AUDIT_LOCK);
    const [last] = await ctx.db.select({ hash: t.hash }).from(t).orderBy(desc(t.id)).limit(1);
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
    const prevHash = last?.hash ?? GENESIS_HASH;
    await ctx.db.insert(t).values({ ...fields, prevHash, hash: auditHash(prevHash, fields) });
  }

  return {
    record,

    /**
     * Audits a read of health data: the one helper every read goes through. Runs in its own
     * transaction when not given one.
     */
    recordRead(actor: Actor, event: AuditEvent, ctx?: DbCtx): Promise<void> {
      return ctx ? record(ctx, actor, event) : db.tx((c) => record(c, actor, event));
    },

    async list(
      filter: {
        patientId?: string;
        actorId?: string;
        from?: Date;
        to?: Date;
        afterId?: number;
        limit?: number;
      } = {},
    ) {
      const t = db.reader.t.auditLog;
      return db.reader.db
        .select()
        .from(t)
        .where(
          and(
            filter.patientId ? eq(t.patientId, filter.patientId) : undefined,
            filter.actorId ? eq(t.actorId, filter.actorId) : undefined,
            filter.from ? gte(t.at, filter.from) : undefined,
            filter.to ? lt(t.at, filter.to) : undefined,
            filter.afterId ? gt(t.id, filter.afterId) : undefined,
          ),
        )
        .orderBy(desc(t.id))
        .limit(filter.limit ?? 100);
    },

    /**
     * Walks the whole chain in order, in pages, and names the first row that does not match. The
     * chain alone cannot show rows cut from its end (what is left still links): given a head
     * recorded earlier, that row must still be there with the same hash.
     */
    async verify(options: { expectHead?: ExpectedHead } = {}): Promise<VerifyResult> {
      const t = db.reader.t.auditLog;
      const expected = options.expectHead;
      let prev = GENESIS_HASH;
      let headId: number | null = null;
      let rows = 0;
      let afterId = 0;
      let sawExpected = false;
      for (;;) {
        const page = await db.reader.db
          .select()
          .from(t)
          .where(gt(t.id, afterId))
          .orderBy(asc(t.id))
          .limit(2000);
        if (page.length === 0) {
          if (expected && !sawExpected) {
            return {
              ok: false,
              rows,
              head: prev,
              headId,
              brokenAt: {
                id: expected.id,
                reason: 'the recorded head row is missing (rows were removed from the end of the log)',
              },
            };
          }
          return { ok: true, rows, head: prev, headId };
        }
        for (const row of page) {
          if (row.prevHash !== prev) {
            return {
              ok: false,
              rows,
              head: prev,
              headId,
              brokenAt: {
                id: row.id,
                reason:
                  'its link to the previous row does not match (a row before it was removed or changed)',
              },
            };
          }
          if (auditHash(prev, row) !== row.hash) {
            return {
              ok: false,
              rows,
              head: prev,
              headId,
              brokenAt: { id: row.id, reason: 'its contents do not match its hash (the row was changed)' },
            };
          }
          if (expected && !sawExpected && row.id >= expected.id) {
            if (row.id !== expected.id || row.hash !== expected.hash) {
              return {
                ok: false,
                rows,
                head: prev,
                headId,
                brokenAt: {
                  id: expected.id,
                  reason:
                    'the row there is not the recorded head (the log was rewritten or the head mistyped)',
                },
              };
            }
            sawExpected = true;
          }
          prev = row.hash;
          headId = row.id;
          rows++;
          afterId = row.id;
        }
      }
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
