import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import {
  findServiceById,
  insertService,
  listBookableServices,
  listServices,
  type Service,
  updateService,
} from './services.repo.ts';
import { serviceInput } from './services.schema.ts';

/** The clinic's services: created, edited and archived by admins; listed for online booking. */
export function servicesService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  return {
    /** Every service, archived ones last. */
    list(): Promise<Service[]> {
      return listServices(db.reader);
    },

    /** What patients may book online: active and online-bookable. */
    listBookable(): Promise<Service[]> {
      return listBookableServices(db.reader);
    },

    async get(id: string): Promise<Service> {
      const row = await findServiceById(db.reader, id);
      if (!row) throw notFound('that_service');
      return row;
    },

    async create(actor: Actor, input: unknown): Promise<Service> {
      const data = validated(serviceInput, input);
      return db.tx(async (ctx) => {
        const now = clock.now();
        const row = await insertService(ctx, {
          id: newId(),
          ...data,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(ctx, actor, { action: 'service.create', entity: 'service', entityId: row.id });
        return row;
      });
    },

    async update(actor: Actor, id: string, input: unknown): Promise<Service> {
      const data = validated(serviceInput, input);
      return db.tx(async (ctx) => {
        const row = await updateService(ctx, id, { ...data, updatedAt: clock.now() });
        if (!row) throw notFound('that_service');
        await audit.record(ctx, actor, { action: 'service.update', entity: 'service', entityId: id });
        return row;
      });
    },

    /** Archived services disappear from booking but stay on past appointments. */
    async setActive(actor: Actor, id: string, active: boolean): Promise<void> {
      await db.tx(async (ctx) => {
        if (!(await updateService(ctx, id, { active, updatedAt: clock.now() })))
          throw notFound('that_service');
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
