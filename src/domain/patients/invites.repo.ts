import { and, eq, isNull } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import type { Patient } from './patients.repo.ts';

/** Invitations to the patient app (`patient_invites`): every query of the table. */
export type InviteRow = typeof import('../../db/schema/sqlite.ts').patientInvites.$inferSelect;

/** Marks the patient's unused invitations used, so only the next one works. */
export async function retireOpenInvites(ctx: DbCtx, patientId: string, now: Date): Promise<void> {
  const i = ctx.t.patientInvites;
  await ctx.db
    .update(i)
    .set({ usedAt: now })
    .where(and(eq(i.patientId, patientId), isNull(i.usedAt)));
}

export async function insertInvite(ctx: DbCtx, row: InviteRow): Promise<void> {
  await ctx.db.insert(ctx.t.patientInvites).values(row);
}

/** The invitation with this token hash and its patient, or null. */
export async function findInviteWithPatient(
  ctx: DbCtx,
  tokenHash: string,
): Promise<{ invite: InviteRow; patient: Patient } | null> {
  const { patientInvites: i, patients: p } = ctx.t;
  const [row] = await ctx.db
    .select({ invite: i, patient: p })
    .from(i)
    .innerJoin(p, eq(p.id, i.patientId))
    .where(eq(i.tokenHash, tokenHash));
  return row ?? null;
}

export async function updateInvite(
  ctx: DbCtx,
  tokenHash: string,
  changes: Partial<Pick<InviteRow, 'wrongTries' | 'usedAt'>>,
): Promise<void> {
  const i = ctx.t.patientInvites;
  await ctx.db.update(i).set(changes).where(eq(i.tokenHash, tokenHash));
}
