import { eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { firstRow, upsertRow } from '../../db/rows.ts';

/**
 * The `settings` table: one JSON value per key (the clinic's settings under `clinic`, keys other
 * areas keep, such as notifications' signing keys). Queries only; what a value means is its
 * owner's business.
 */

/** The value stored under `key`, or undefined when there is none. */
export async function findSettingValue<T = unknown>(ctx: DbCtx, key: string): Promise<T | undefined> {
  const s = ctx.t.settings;
  const row = await firstRow(ctx.db.select({ value: s.value }).from(s).where(eq(s.key, key)));
  return row?.value as T | undefined;
}

/** Every key and value (keys rotate walks them for sealed values). */
export function listSettings(ctx: DbCtx): Promise<{ key: string; value: unknown }[]> {
  const s = ctx.t.settings;
  return ctx.db.select({ key: s.key, value: s.value }).from(s);
}

/** Stores `value` under `key`, replacing what was there. */
export async function upsertSetting(ctx: DbCtx, key: string, value: unknown, now: Date): Promise<void> {
  const s = ctx.t.settings;
  await upsertRow(ctx, s, { key, value, updatedAt: now }, s.key, { value, updatedAt: now });
}

/**
 * Stores `value` under `key` unless a value is there already (then nothing changes): two
 * instances racing to make the same key at first start both call it and read the one that won.
 */
export async function insertSettingIfMissing(
  ctx: DbCtx,
  key: string,
  value: unknown,
  now: Date,
): Promise<void> {
  await ctx.db.insert(ctx.t.settings).values({ key, value, updatedAt: now }).onConflictDoNothing();
}
