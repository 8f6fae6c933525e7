import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { serviceInput } from './services.schema.ts';

export type Service = typeof import('../../db/schema/sqlite.ts').services.$inferSelect;

/** The clinic's services: created, edited and archived by admins; listed for online booking. */
export function servicesService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const { services } = db.reader.t;

  return {
    /** Every service, archived ones last. */
    list(): Promise<Service[]> {
      return db.reader.db.select().from(services).orderBy(asc(services.name));
    },

    /** What patients may book online: active and online-bookable. */
    listBookable(): Promise<Service[]> {
      return db.reader.db
        .select()
        .from(services)
        .where(and(eq(services.active, true), eq(services.onlineBookable, true)))
        .orderBy(asc(services.name));
    },

    async get(id: string): Promise<Service> {
      const [row] = await db.reader.db.select().from(services).where(eq(services.id, id));
      if (!row) throw notFound('That service');
      return row;
    },

    async create(actor: Actor, input: unknown): Promise<Service> {
      const data = validated(serviceInput, input);
      return db.tx(async (ctx) => {
        const now = clock.now();
        const [row] = await ctx.db
          .insert(ctx.t.services)
          .values({ id: newId(), ...data, active: true, createdAt: now, updatedAt: now })
          .returning();
        await audit.record(ctx, actor, { action: 'service.create', entity: 'service', entityId: row!.id });
        return row!;
      });
    },

    async update(actor: Actor, id: string, input: unknown): Promise<Service> {
      const data = validated(serviceInput, input);
      return db.tx(async (ctx) => {
        const [row] = await ctx.db
          .update(ctx.t.services)
          .set({ ...data, updatedAt: clock.now() })
          .where(eq(ctx.t.services.id, id))
          .returning();
        if (!row) throw notFound('That service');
        await audit.record(ctx, actor, { action: 'service.update', entity: 'service', entityId: id });
        return row;
      });
    },

    /** Archived services disappear from booking but stay on past appointments. */
    async setActive(actor: Actor, id: string, active: boolean): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db
          .update(ctx.t.services)
          .set({ active, updatedAt: clock.now() })
          .where(eq(ctx.t.services.id, id))
          .returning({ id: ctx.t.services.id });
        if (rows.length !== 1) throw notFound('That service');
        await audit.record(ctx, actor, {
          action: active ? 'service.restore' : 'service.archive',
          entity: 'service',
          entityId: id,
        });
      });
    },
  };
}

export type ServicesService = ReturnType<typeof servicesService>;
