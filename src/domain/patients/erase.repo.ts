import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countPointingAt } from '../../db/reassign.ts';
import { countWhere, deleteWhere, updateRow, updateWhere } from '../../db/rows.ts';
import { emailAddress, phoneAddress } from '../../lib/contact.ts';
import type { EraseCounts } from '../patient-erase.ts';
import type { Patient } from './patients.repo.ts';

/**
 * The patients area's tables in an erasure (issue 18 item 6): the portal's logins, sessions,
 * passkeys and invitations, pending contact changes, the record's history (old values are personal
 * data), alerts and family links are deleted, with the sign-in codes and wrong-code counters of
 * the patient's addresses; the record itself becomes a tombstone. Restriction's and the retention
 * job's reads and writes are here too. The rules are erase-records.ts's.
 */

/** Tables this area deletes the patient's rows of (every column covered). */
export const erasedTables = [
  'patient_logins',
  'patient_sessions',
  'patient_passkeys',
  'patient_invites',
  'patient_contact_changes',
  'patient_changes',
  'patient_alerts',
  'patient_guardians',
] as const;

/** The tombstone: every personal field cleared (or set to a fixed, anonymous value). */
export const patientsWiped = [
  'first_name',
  'last_name',
  'date_of_birth',
  'email',
  'phone',
  'search_name',
  'possible_duplicate_of',
  'preferred_language',
  'quiet_hours',
  'sex',
  'address',
  'emergency_name',
  'emergency_relation',
  'emergency_phone',
  'referrer_name',
  'referrer_practice',
  'referrer_contact',
  'identifiers',
  'status',
  'erased_at',
  'restricted_at',
  'restrict_reason',
  'retain_until',
  'purge_listed_at',
  'version',
  'updated_at',
] as const;

/** Kept on the tombstone: ids, consent flags, the terms' version and dates — nothing about the person. */
export const patientsKept = [
  'id',
  'merged_into',
  'messages_by_email',
  'messages_by_sms',
  'messages_by_push',
  'terms_version',
  'terms_accepted_at',
  'created_at',
] as const;

/** What the erased record's name reads as in the calendar and reports. */
export const ERASED_NAME = { firstName: 'Erased', lastName: 'record' } as const;

/** Allergy and medical alerts are clinical content (an admin note is not). */
export async function countClinicalAlerts(ctx: DbCtx, patientId: string): Promise<number> {
  const a = ctx.t.patientAlerts;
  return countWhere(ctx, a, and(eq(a.patientId, patientId), ne(a.kind, 'admin')));
}

/**
 * How many of this area's rows, besides the record itself, name the patient, by kind: what an
 * erase deletes, and what a merge moves with the records that point at it (merge.repo.ts).
 */
export async function countErasedRows(ctx: DbCtx, patientId: string): Promise<EraseCounts> {
  const t = ctx.t;
  const g = t.patientGuardians;
  return {
    logins: await countPointingAt(ctx, t.patientLogins, t.patientLogins.patientId, patientId),
    sessions: await countPointingAt(ctx, t.patientSessions, t.patientSessions.patientId, patientId),
    passkeys: await countPointingAt(ctx, t.patientPasskeys, t.patientPasskeys.patientId, patientId),
    invites: await countPointingAt(ctx, t.patientInvites, t.patientInvites.patientId, patientId),
    contactChanges: await countPointingAt(
      ctx,
      t.patientContactChanges,
      t.patientContactChanges.patientId,
      patientId,
    ),
    recordHistory: await countPointingAt(ctx, t.patientChanges, t.patientChanges.patientId, patientId),
    alerts: await countPointingAt(ctx, t.patientAlerts, t.patientAlerts.patientId, patientId),
    guardianLinks: await countWhere(ctx, g, or(eq(g.guardianId, patientId), eq(g.dependentId, patientId))),
  };
}

/**
 * Deletes every row of this area about the patient but the record itself, with the sign-in codes
 * and wrong-code counters of its addresses (its logins', its email's and phone's); answers the
 * counts `countErasedRows` gave. The sessions' ids, for the caller to drop from the cache.
 */
export async function deleteErasedRows(
  ctx: DbCtx,
  patient: Patient,
): Promise<{ counts: EraseCounts; sessionIds: string[] }> {
  const t = ctx.t;
  const id = patient.id;
  const counts = await countErasedRows(ctx, id);
  const logins = await ctx.db
    .select({ address: t.patientLogins.address })
    .from(t.patientLogins)
    .where(eq(t.patientLogins.patientId, id));
  const invites = await ctx.db
    .select({ address: t.patientInvites.address })
    .from(t.patientInvites)
    .where(eq(t.patientInvites.patientId, id));
  const addresses = [
    ...logins.map((l) => l.address),
    ...invites.map((l) => l.address),
    ...(patient.email ? [emailAddress(patient.email)] : []),
    ...(patient.phone ? [phoneAddress(patient.phone)] : []),
  ];
  if (addresses.length) {
    await deleteWhere(ctx, t.patientCodes, inArray(t.patientCodes.address, addresses));
    await deleteWhere(ctx, t.patientCodeFailures, inArray(t.patientCodeFailures.address, addresses));
    // Sessions opened by these addresses before registration (no patient yet).
    await deleteWhere(ctx, t.patientSessions, inArray(t.patientSessions.address, addresses));
  }
  const s = t.patientSessions;
  const sessions = await ctx.db.delete(s).where(eq(s.patientId, id)).returning({ id: s.id });
  await deleteWhere(ctx, t.patientLogins, eq(t.patientLogins.patientId, id));
  await deleteWhere(ctx, t.patientPasskeys, eq(t.patientPasskeys.patientId, id));
  await deleteWhere(ctx, t.patientInvites, eq(t.patientInvites.patientId, id));
  await deleteWhere(ctx, t.patientContactChanges, eq(t.patientContactChanges.patientId, id));
  await deleteWhere(ctx, t.patientChanges, eq(t.patientChanges.patientId, id));
  await deleteWhere(ctx, t.patientAlerts, eq(t.patientAlerts.patientId, id));
  const g = t.patientGuardians;
  await deleteWhere(ctx, g, or(eq(g.guardianId, id), eq(g.dependentId, id)));
  // Another record flagged as resembling this one: there is nothing left to resemble.
  await updateWhere(ctx, t.patients, eq(t.patients.possibleDuplicateOf, id), { possibleDuplicateOf: null });
  return { counts, sessionIds: sessions.map((r) => r.id) };
}

/** Makes the record a tombstone: personal fields cleared, archived, `erased_at` set. */
export function markErased(ctx: DbCtx, id: string, now: Date): Promise<Patient | null> {
  const p = ctx.t.patients;
  return updateRow(ctx, p, eq(p.id, id), {
    ...ERASED_NAME,
    dateOfBirth: '',
    email: null,
    phone: null,
    searchName: '',
    possibleDuplicateOf: null,
    preferredLanguage: null,
    quietHours: null,
    sex: null,
    address: null,
    emergencyName: null,
    emergencyRelation: null,
    emergencyPhone: null,
    referrerName: null,
    referrerPractice: null,
    referrerContact: null,
    identifiers: '[]',
    status: 'archived',
    erasedAt: now,
    restrictedAt: null,
    restrictReason: null,
    retainUntil: null,
    purgeListedAt: null,
    updatedAt: now,
    version: sql`${p.version} + 1`,
  });
}

/** Restricts the record (or lifts it: all null), at its next version. */
export function setRestriction(
  ctx: DbCtx,
  id: string,
  values: { restrictedAt: Date | null; restrictReason: string | null; retainUntil: Date | null },
  now: Date,
): Promise<Patient | null> {
  const p = ctx.t.patients;
  return updateRow(ctx, p, eq(p.id, id), {
    ...values,
    purgeListedAt: null,
    updatedAt: now,
    version: sql`${p.version} + 1`,
  });
}

const restrictedLive = (ctx: DbCtx) =>
  and(isNotNull(ctx.t.patients.restrictedAt), isNull(ctx.t.patients.erasedAt));

/** Restricted records whose retention ended by `now` and that the job has not listed yet: lists them; their ids. */
export async function listRetentionEnded(ctx: DbCtx, now: Date): Promise<string[]> {
  const p = ctx.t.patients;
  const due = and(restrictedLive(ctx), lte(p.retainUntil, now), isNull(p.purgeListedAt));
  // The rows this update listed, not those a select saw: two runs at once (the schedule's and
  // one asked for) on PostgreSQL would otherwise both answer, and audit, the same records.
  const rows = await ctx.db.update(p).set({ purgeListedAt: now }).where(due).returning({ id: p.id });
  return rows.map((r: { id: string }) => r.id);
}

/** The records the retention job listed for a purge, oldest retention end first. */
export function listPurgeDue(ctx: DbCtx): Promise<Patient[]> {
  const p = ctx.t.patients;
  return ctx.db
    .select()
    .from(p)
    .where(and(restrictedLive(ctx), isNotNull(p.purgeListedAt)))
    .orderBy(asc(p.retainUntil), asc(p.id));
}

/** The ids of every restricted record (few: hidden from the Inbox's lists). */
export async function listRestrictedIds(ctx: DbCtx): Promise<Set<string>> {
  const p = ctx.t.patients;
  const rows = await ctx.db.select({ id: p.id }).from(p).where(isNotNull(p.restrictedAt));
  return new Set(rows.map((r) => r.id));
}
