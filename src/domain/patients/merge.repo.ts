import { and, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countPointingAt, reassignColumn } from '../../db/reassign.ts';
import { countWhere, deleteWhere, updateRow, updateWhere } from '../../db/rows.ts';
import type { MergeCounts } from '../patient-merge.ts';
import { countErasedRows } from './erase.repo.ts';
import type { Patient } from './patients.repo.ts';

/**
 * The patients area's tables in a merge of record `from` into record `to`: the portal's logins,
 * sessions, passkeys and invitations, pending contact changes, the record's history and alerts,
 * family links (both ways), the registration flags and earlier merges that name `from`, and the
 * mark on `from` itself. The rules (what is refused, the order, the audit) are merge-records.ts's.
 */

/** The columns of this area that point at a patient, all moved by `movePatientRows`. */
export const patientColumns = [
  'patient_logins.patient_id',
  'patient_sessions.patient_id',
  'patient_passkeys.patient_id',
  'patient_invites.patient_id',
  'patient_contact_changes.patient_id',
  'patient_changes.patient_id',
  'patient_alerts.patient_id',
  'patient_guardians.guardian_id',
  'patient_guardians.dependent_id',
  'patients.possible_duplicate_of',
  'patients.merged_into',
] as const;

/** How many rows of each kind name `fromId` (what `movePatientRows` answers). */
export async function countPatientRows(ctx: DbCtx, fromId: string): Promise<MergeCounts> {
  const p = ctx.t.patients;
  return {
    ...(await countErasedRows(ctx, fromId)),
    duplicateFlags: await countPointingAt(ctx, p, p.possibleDuplicateOf, fromId),
    mergedRecords: await countPointingAt(ctx, p, p.mergedInto, fromId),
  };
}

/** Whether a family link joins the two records, either way (a merge would make one its own guardian). */
export async function linkedAsFamily(ctx: DbCtx, a: string, b: string): Promise<boolean> {
  const g = ctx.t.patientGuardians;
  const between = or(
    and(eq(g.guardianId, a), eq(g.dependentId, b)),
    and(eq(g.guardianId, b), eq(g.dependentId, a)),
  );
  return (await countWhere(ctx, g, between)) > 0;
}

/** The ids of the sessions signed in to `fromId` (they move one by one: each leaves the session cache). */
export async function listSessionIds(ctx: DbCtx, fromId: string): Promise<string[]> {
  const s = ctx.t.patientSessions;
  const rows = await ctx.db.select({ id: s.id }).from(s).where(eq(s.patientId, fromId));
  return rows.map((r) => r.id);
}

/**
 * Moves every row of this area that names `fromId` to `toId` but the sessions (the caller moves
 * them with the cache) and answers the counts `countPatientRows` gave. A family link `to` already
 * has (the same guardian or dependant) and a pending contact change on a channel `to` already has
 * are folded into `to`'s: theirs are deleted. The two records must not be linked to each other.
 */
export async function movePatientRows(
  ctx: DbCtx,
  fromId: string,
  toId: string,
): Promise<Omit<MergeCounts, 'sessions'>> {
  const t = ctx.t;
  const p = t.patients;
  return {
    logins: await reassignColumn(ctx, t.patientLogins, t.patientLogins.patientId, fromId, toId),
    passkeys: await reassignColumn(ctx, t.patientPasskeys, t.patientPasskeys.patientId, fromId, toId),
    invites: await reassignColumn(ctx, t.patientInvites, t.patientInvites.patientId, fromId, toId),
    contactChanges: await moveContactChanges(ctx, fromId, toId),
    recordHistory: await reassignColumn(ctx, t.patientChanges, t.patientChanges.patientId, fromId, toId),
    alerts: await reassignColumn(ctx, t.patientAlerts, t.patientAlerts.patientId, fromId, toId),
    guardianLinks: await moveGuardianLinks(ctx, fromId, toId),
    // `to` flagged as resembling `from`: they are one now.
    duplicateFlags:
      (await deleteFlag(ctx, toId, fromId)) +
      (await reassignColumn(ctx, p, p.possibleDuplicateOf, fromId, toId)),
    mergedRecords: await reassignColumn(ctx, p, p.mergedInto, fromId, toId),
  };
}

async function deleteFlag(ctx: DbCtx, id: string, of: string): Promise<number> {
  const p = ctx.t.patients;
  const row = await updateRow(ctx, p, and(eq(p.id, id), eq(p.possibleDuplicateOf, of)), {
    possibleDuplicateOf: null,
  });
  return row ? 1 : 0;
}

async function moveContactChanges(ctx: DbCtx, fromId: string, toId: string): Promise<number> {
  const c = ctx.t.patientContactChanges;
  const theirs = await ctx.db.select({ channel: c.channel }).from(c).where(eq(c.patientId, toId));
  const taken = theirs.map((r) => r.channel);
  const dropped = taken.length
    ? await deleteWhere(ctx, c, and(eq(c.patientId, fromId), inArray(c.channel, taken)))
    : 0;
  return dropped + (await reassignColumn(ctx, c, c.patientId, fromId, toId));
}

async function moveGuardianLinks(ctx: DbCtx, fromId: string, toId: string): Promise<number> {
  const g = ctx.t.patientGuardians;
  let moved = 0;
  for (const side of ['guardian', 'dependant'] as const) {
    const [mine, other] = side === 'guardian' ? [g.guardianId, g.dependentId] : [g.dependentId, g.guardianId];
    const links = await ctx.db.select().from(g).where(eq(mine, fromId));
    for (const link of links) {
      const otherId = side === 'guardian' ? link.dependentId : link.guardianId;
      const same = and(eq(mine, fromId), eq(other, otherId));
      const kept = await countWhere(ctx, g, and(eq(mine, toId), eq(other, otherId)));
      if (kept > 0) await deleteWhere(ctx, g, same);
      else
        await updateWhere(ctx, g, same, side === 'guardian' ? { guardianId: toId } : { dependentId: toId });
      moved += 1;
    }
  }
  return moved;
}

/** Archives `fromId` and marks it merged into `toId` (its own flag cleared), at its next version. */
export function markMerged(ctx: DbCtx, fromId: string, toId: string, now: Date): Promise<Patient | null> {
  const p = ctx.t.patients;
  return updateRow(ctx, p, eq(p.id, fromId), {
    status: 'archived',
    mergedInto: toId,
    possibleDuplicateOf: null,
    updatedAt: now,
    version: sql`${p.version} + 1`,
  });
}

/** The ids of the records merged into `patientId` (earlier merges into those were moved on to it). */
export async function listMergedRecordIds(ctx: DbCtx, patientId: string): Promise<string[]> {
  const p = ctx.t.patients;
  const rows = await ctx.db
    .select({ id: p.id })
    .from(p)
    .where(and(eq(p.mergedInto, patientId), isNotNull(p.mergedInto), ne(p.id, patientId)));
  return rows.map((r) => r.id);
}
