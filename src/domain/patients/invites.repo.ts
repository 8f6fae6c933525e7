import { and, eq, isNull } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { firstRow, updateWhere } from '../../db/rows.ts';
import type { Patient } from './patients.repo.ts';

/** Invitations to the patient app (`patient_invites`): every query of the table. */
export type InviteRow = typeof import('../../db/schema/sqlite.ts').patientInvites.$inferSelect;

/** Marks the patient's unused invitations used, so only the next one works. */
export function retireOpenInvites(ctx: DbCtx, patientId: string, now: Date): Promise<void> {
  const i = ctx.t.patientInvites;
  return updateWhere(ctx, i, and(eq(i.patientId, patientId), isNull(i.usedAt)), { usedAt: now });
}

export async function insertInvite(ctx: DbCtx, row: InviteRow): Promise<void> {
  await ctx.db.insert(ctx.t.patientInvites).values(row);
}

/** An invitation with the patient it is for. */
export type InviteWithPatient = { invite: InviteRow; patient: Patient };

/** The invitation with this token hash and its patient, or null. */
export function findInviteWithPatient(ctx: DbCtx, tokenHash: string): Promise<InviteWithPatient | null> {
  const { patientInvites: i, patients: p } = ctx.t;
  const invites = ctx.db.select({ invite: i, patient: p }).from(i).innerJoin(p, eq(p.id, i.patientId));
  return firstRow(invites.where(eq(i.tokenHash, tokenHash)));
}

export function updateInvite(
  ctx: DbCtx,
  tokenHash: string,
  changes: Partial<Pick<InviteRow, 'wrongTries' | 'usedAt'>>,
): Promise<void> {
  const i = ctx.t.patientInvites;
  return updateWhere(ctx, i, eq(i.tokenHash, tokenHash), changes);
}

/** Marks the patient's unused invitations to `address` used (a revoked login is not re-added by one). */
export function retireOpenInvitesTo(
  ctx: DbCtx,
  patientId: string,
  address: string,
  now: Date,
): Promise<void> {
  const i = ctx.t.patientInvites;
  const open = and(eq(i.patientId, patientId), eq(i.address, address), isNull(i.usedAt));
  return updateWhere(ctx, i, open, { usedAt: now });
}
