import { and, count, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Channel } from './messages.ts';

export type Delivery = typeof import('../../db/schema/sqlite.ts').deliveries.$inferSelect;
export type DeliveryStatus = Delivery['status'];
export const deliveryStatuses: readonly DeliveryStatus[] = ['queued', 'sent', 'failed', 'skipped'];

/**
 * The delivery log: rows are written by the dispatcher in the transaction that enqueues each
 * message's job, and moved along by the job (attempts, provider id, error, sent or failed).
 * Reading it shows who was written to: each read is audited.
 */
export function deliveryLog(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const t = db.reader.t.deliveries;

  const update = (id: string, set: Partial<Delivery>) =>
    db.tx(async (ctx) => {
      await ctx.db
        .update(ctx.t.deliveries)
        .set({ ...set, updatedAt: clock.now() })
        .where(eq(ctx.t.deliveries.id, id));
    });

  return {
    /** Deletes finished entries created before `before` (queued ones stay until their job ends). */
    async prune(before: Date): Promise<number> {
      const rows = await db.tx((ctx) =>
        ctx.db
          .delete(ctx.t.deliveries)
          .where(and(lt(ctx.t.deliveries.createdAt, before), ne(ctx.t.deliveries.status, 'queued')))
          .returning({ id: ctx.t.deliveries.id }),
      );
      return rows.length;
    },

    async get(id: string): Promise<Delivery | null> {
      const [row] = await db.reader.db.select().from(t).where(eq(t.id, id));
      return row ?? null;
    },

    /** Counts one more try (before it is made, so a crash mid-send still shows). */
    async attempt(id: string): Promise<void> {
      await db.tx(async (ctx) => {
        const d = ctx.t.deliveries;
        await ctx.db
          .update(d)
          .set({ attempts: sql`${d.attempts} + 1`, updatedAt: clock.now() })
          .where(eq(d.id, id));
      });
    },
    sent: (id: string, providerId: string) => update(id, { status: 'sent', providerId, sentAt: clock.now() }),
    /** A try failed; `final` when no retry will follow. */
    failed: (id: string, error: string, final: boolean) =>
      update(id, { lastError: error.slice(0, 500), ...(final ? { status: 'failed' as const } : {}) }),
    skipped: (id: string, reason: string) => update(id, { status: 'skipped', lastError: reason }),
    /** Sets who it is for and in which language, once known (a sign-in code's patient). */
    async setPatient(ctx: DbCtx, id: string, patientId: string | null, language?: string) {
      await ctx.db
        .update(ctx.t.deliveries)
        .set({ patientId, ...(language ? { language } : {}) })
        .where(eq(ctx.t.deliveries.id, id));
    },
    /** The address it goes to now (the contact changed it since the message was queued). */
    setRecipient: (id: string, recipient: string) => update(id, { recipient }),

    /** One patient's messages, newest first (their chart). Audited. */
    async forPatient(actor: Actor, patientId: string, limit = 50): Promise<Delivery[]> {
      const rows = await db.reader.db
        .select()
        .from(t)
        .where(eq(t.patientId, patientId))
        .orderBy(desc(t.createdAt), desc(t.id))
        .limit(limit);
      await audit.recordRead(actor, {
        action: 'deliveries.read',
        entity: 'patient',
        entityId: patientId,
        patientId,
        details: { rows: rows.length },
      });
      return rows;
    },

    /** Every message, newest first, by status and channel, a page at a time. Audited. */
    async list(
      actor: Actor,
      filter: { status?: DeliveryStatus; channel?: Channel; page?: number; pageSize?: number },
    ): Promise<{ rows: Delivery[]; total: number; page: number; pageSize: number }> {
      const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
      const page = Math.max(filter.page ?? 1, 1);
      const where = and(
        filter.status ? eq(t.status, filter.status) : undefined,
        filter.channel ? eq(t.channel, filter.channel) : undefined,
      );
      const [rows, [total]] = await Promise.all([
        db.reader.db
          .select()
          .from(t)
          .where(where)
          .orderBy(desc(t.createdAt), desc(t.id))
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        db.reader.db.select({ n: count() }).from(t).where(where),
      ]);
      await audit.recordRead(actor, {
        action: 'deliveries.list',
        entity: 'delivery',
        details: { rows: rows.length, page, status: filter.status ?? null, channel: filter.channel ?? null },
      });
      return { rows, total: Number(total?.n ?? 0), page, pageSize };
    },
  };
}

export type DeliveryLog = ReturnType<typeof deliveryLog>;
