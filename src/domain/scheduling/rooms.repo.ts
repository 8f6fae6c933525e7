import { and, asc, eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';

/** Queries of the rooms appointments take place in. */

export type Room = typeof import('../../db/schema/sqlite.ts').rooms.$inferSelect;

export async function findRoomById(ctx: DbCtx, id: string): Promise<Room | undefined> {
  const [room] = await ctx.db.select().from(ctx.t.rooms).where(eq(ctx.t.rooms.id, id));
  return room;
}

/** The room, if it exists and is active. */
export async function findActiveRoom(ctx: DbCtx, id: string): Promise<Room | undefined> {
  const r = ctx.t.rooms;
  const [room] = await ctx.db
    .select()
    .from(r)
    .where(and(eq(r.id, id), eq(r.active, true)));
  return room;
}

/** The id of the active default room, if there is one. */
export async function findDefaultRoomId(ctx: DbCtx): Promise<string | null> {
  const r = ctx.t.rooms;
  const [room] = await ctx.db
    .select({ id: r.id })
    .from(r)
    .where(and(eq(r.isDefault, true), eq(r.active, true)));
  return room?.id ?? null;
}

/** Whether any room is active. */
export async function hasActiveRoom(ctx: DbCtx): Promise<boolean> {
  const r = ctx.t.rooms;
  const rows = await ctx.db.select({ id: r.id }).from(r).where(eq(r.active, true)).limit(1);
  return rows.length > 0;
}

/** Active rooms by name. */
export function listActiveRooms(ctx: DbCtx): Promise<Room[]> {
  const r = ctx.t.rooms;
  return ctx.db.select().from(r).where(eq(r.active, true)).orderBy(asc(r.name));
}

export async function insertRoom(ctx: DbCtx, values: Room): Promise<void> {
  await ctx.db.insert(ctx.t.rooms).values(values);
}

/** Makes no room the default. */
export async function clearDefaultRoom(ctx: DbCtx): Promise<void> {
  await ctx.db.update(ctx.t.rooms).set({ isDefault: false });
}

export async function markRoomDefault(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.update(ctx.t.rooms).set({ isDefault: true }).where(eq(ctx.t.rooms.id, id));
}

/** Archives a room (no longer active nor default); answers whether it existed. */
export async function archiveRoomById(ctx: DbCtx, id: string): Promise<boolean> {
  const rows = await ctx.db
    .update(ctx.t.rooms)
    .set({ active: false, isDefault: false })
    .where(eq(ctx.t.rooms.id, id))
    .returning();
  return rows.length > 0;
}
