import { and, asc, eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import { findRow, hasRow, updateRow, updateWhere } from '../../db/rows.ts';

/** Queries of the rooms appointments take place in. */

export type Room = typeof import('../../db/schema/sqlite.ts').rooms.$inferSelect;

export function findRoomById(ctx: DbCtx, id: string): Promise<Room | null> {
  const r = ctx.t.rooms;
  return findRow(ctx, r, eq(r.id, id));
}

/** The room, if it exists and is active. */
export function findActiveRoom(ctx: DbCtx, id: string): Promise<Room | null> {
  const r = ctx.t.rooms;
  return findRow(ctx, r, and(eq(r.id, id), eq(r.active, true)));
}

/** The id of the active default room, if there is one. */
export async function findDefaultRoomId(ctx: DbCtx): Promise<string | null> {
  const r = ctx.t.rooms;
  const room = await findRow(ctx, r, and(eq(r.isDefault, true), eq(r.active, true)));
  return room?.id ?? null;
}

/** Whether any room is active. */
export function hasActiveRoom(ctx: DbCtx): Promise<boolean> {
  const r = ctx.t.rooms;
  return hasRow(ctx, r, eq(r.active, true));
}

/**
 * Locks the room for the rest of the transaction, as `lockPractitionerProfile` does the
 * practitioner (PostgreSQL: its row `FOR UPDATE`; SQLite: the one writer). Answers whether it exists.
 */
export function lockRoom(ctx: DbCtx, id: string): Promise<boolean> {
  const r = ctx.t.rooms;
  return lockRow(ctx, r, r.id, id);
}

/** Active rooms by id: the order several rooms are locked in, so two bookings never wait on each other. */
export function listActiveRoomsById(ctx: DbCtx): Promise<Room[]> {
  const r = ctx.t.rooms;
  return ctx.db.select().from(r).where(eq(r.active, true)).orderBy(asc(r.id));
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

export function markRoomDefault(ctx: DbCtx, id: string): Promise<void> {
  return updateWhere(ctx, ctx.t.rooms, eq(ctx.t.rooms.id, id), { isDefault: true });
}

/** Archives a room (no longer active nor default); answers whether it existed. */
export async function archiveRoomById(ctx: DbCtx, id: string): Promise<boolean> {
  const r = ctx.t.rooms;
  return (await updateRow(ctx, r, eq(r.id, id), { active: false, isDefault: false })) !== null;
}
