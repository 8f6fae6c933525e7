import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, firstRow, insertRow, updateRow } from '../../db/rows.ts';

/** Queries of the clinic's services. */

export type Service = typeof import('../../db/schema/sqlite.ts').services.$inferSelect;
/** The columns a change of a service may set. */
export type ServiceChanges = Partial<Omit<Service, 'id'>>;

/** Every service, by name. */
export function listServices(ctx: DbCtx): Promise<Service[]> {
  return ctx.db.select().from(ctx.t.services).orderBy(asc(ctx.t.services.name));
}

/** Active, online-bookable services, by name. */
export function listBookableServices(ctx: DbCtx): Promise<Service[]> {
  const s = ctx.t.services;
  return ctx.db
    .select()
    .from(s)
    .where(and(eq(s.active, true), eq(s.onlineBookable, true)))
    .orderBy(asc(s.name));
}

export function findServiceById(ctx: DbCtx, id: string): Promise<Service | null> {
  const s = ctx.t.services;
  return findRow(ctx, s, eq(s.id, id));
}

/** Which of `ids` name a service. */
export async function listServiceIdsIn(ctx: DbCtx, ids: string[]): Promise<string[]> {
  const s = ctx.t.services;
  const rows = await ctx.db.select({ id: s.id }).from(s).where(inArray(s.id, ids));
  return rows.map((r) => r.id);
}

/** The service's own reminder offsets: undefined for no such service, null for the clinic's. */
export async function findServiceReminderHours(ctx: DbCtx, id: string): Promise<number[] | null | undefined> {
  const s = ctx.t.services;
  const row = await firstRow(ctx.db.select({ hours: s.reminderHours }).from(s).where(eq(s.id, id)));
  return row ? row.hours : undefined;
}

export function insertService(ctx: DbCtx, values: Service): Promise<Service> {
  return insertRow(ctx, ctx.t.services, values);
}

/** Updates a service; answers the new row, or null for no such service. */
export function updateService(ctx: DbCtx, id: string, changes: ServiceChanges): Promise<Service | null> {
  const s = ctx.t.services;
  return updateRow(ctx, s, eq(s.id, id), changes);
}
