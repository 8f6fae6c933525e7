import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, findRow, firstRow, upsertRow } from '../../db/rows.ts';

/**
 * A patient's new email or phone waiting for the code sent to it (`patient_contact_changes`, one
 * per patient and channel; `created_at` is when its latest code was asked for). Queries only.
 */
export type ContactChange = typeof import('../../db/schema/sqlite.ts').patientContactChanges.$inferSelect;
export type ContactChannel = ContactChange['channel'];

const byKey = (ctx: DbCtx, patientId: string, channel: ContactChannel) => {
  const c = ctx.t.patientContactChanges;
  return and(eq(c.patientId, patientId), eq(c.channel, channel));
};

export function findContactChange(
  ctx: DbCtx,
  patientId: string,
  channel: ContactChannel,
): Promise<ContactChange | null> {
  return findRow(ctx, ctx.t.patientContactChanges, byKey(ctx, patientId, channel));
}

/** The patient's pending changes, email first. */
export function listContactChanges(ctx: DbCtx, patientId: string): Promise<ContactChange[]> {
  const c = ctx.t.patientContactChanges;
  return ctx.db.select().from(c).where(eq(c.patientId, patientId)).orderBy(asc(c.channel));
}

/** Writes the patient's pending change of `row.channel`, replacing any before it. */
export async function saveContactChange(ctx: DbCtx, row: ContactChange): Promise<void> {
  const c = ctx.t.patientContactChanges;
  const { patientId: _, channel: __, ...rest } = row;
  await upsertRow(ctx, c, row, [c.patientId, c.channel], rest);
}

/** Sets the code of a pending change (the one just sent to `value`); false when it changed meanwhile. */
export async function setContactCode(
  ctx: DbCtx,
  key: { patientId: string; channel: ContactChannel; value: string },
  codeHash: string,
  expiresAt: Date,
): Promise<boolean> {
  const c = ctx.t.patientContactChanges;
  const rows = await ctx.db
    .update(c)
    .set({ codeHash, expiresAt, wrongTries: 0 })
    .where(and(byKey(ctx, key.patientId, key.channel), eq(c.value, key.value)))
    .returning({ value: c.value });
  return rows.length > 0;
}

/**
 * Spends one try of the pending change's code, in one statement (so parallel tries cannot share
 * one): answers the change when its code is still live and had a try left, else null.
 */
export function spendContactTry(
  ctx: DbCtx,
  patientId: string,
  channel: ContactChannel,
  now: Date,
  maxTries: number,
): Promise<ContactChange | null> {
  const c = ctx.t.patientContactChanges;
  const query = ctx.db
    .update(c)
    .set({ wrongTries: sql`${c.wrongTries} + 1` })
    .where(and(byKey(ctx, patientId, channel), lt(c.wrongTries, maxTries), gt(c.expiresAt, now)))
    .returning();
  return firstRow(query);
}

export async function deleteContactChange(
  ctx: DbCtx,
  patientId: string,
  channel: ContactChannel,
): Promise<void> {
  await deleteWhere(ctx, ctx.t.patientContactChanges, byKey(ctx, patientId, channel));
}
