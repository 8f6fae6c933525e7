import { eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, findRow } from '../../db/rows.ts';

/**
 * The clinic's logo: a row of billing_settings of its own (key `logo`, value `{ dataUrl }`), apart
 * from the `billing` row so that reading the settings — every invoice made, every form — never
 * reads a half-megabyte image with them.
 */
const KEY = 'logo';

export async function findLogoValue(ctx: DbCtx): Promise<unknown> {
  const s = ctx.t.billingSettings;
  return (await findRow(ctx, s, eq(s.key, KEY)))?.value ?? null;
}

export async function upsertLogoValue(ctx: DbCtx, value: { dataUrl: string }, at: Date): Promise<void> {
  const s = ctx.t.billingSettings;
  await ctx.db
    .insert(s)
    .values({ key: KEY, value, updatedAt: at })
    .onConflictDoUpdate({ target: s.key, set: { value, updatedAt: at } });
}

/** Answers whether there was one. */
export async function deleteLogoValue(ctx: DbCtx): Promise<boolean> {
  const s = ctx.t.billingSettings;
  return (await deleteWhere(ctx, s, eq(s.key, KEY))) > 0;
}
