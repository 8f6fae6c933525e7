import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';

/**
 * The only place scheduling reads other areas' tables (patients, staff accounts), moved here
 * unchanged from the services and use cases so the rest of the area names only its own tables.
 *
 * To be replaced by the patients and accounts areas' lookups (through their index.ts, taking
 * `ctx` so they run inside the caller's transaction); until then, keep these plain by-id reads
 * with no rules, so the switch is one import per function.
 */

export interface PatientName {
  firstName: string;
  lastName: string;
}

export interface PatientContact {
  firstName: string;
  email: string | null;
  messagesByEmail: boolean;
}

/** A patient's status (active or not); undefined when there is no such patient. */
export async function findPatientStatus(ctx: DbCtx, id: string) {
  const p = ctx.t.patients;
  const [row] = await ctx.db.select({ id: p.id, status: p.status }).from(p).where(eq(p.id, id));
  return row;
}

/** The patients' names by id (ids with no patient are absent). */
export async function findPatientNames(ctx: DbCtx, ids: string[]): Promise<Map<string, PatientName>> {
  if (ids.length === 0) return new Map();
  const p = ctx.t.patients;
  const rows = await ctx.db
    .select({ id: p.id, firstName: p.firstName, lastName: p.lastName })
    .from(p)
    .where(inArray(p.id, [...new Set(ids)]));
  return new Map(rows.map(({ id, ...name }) => [id, name]));
}

/** What a message to the patients needs, by id (ids with no patient are absent). */
export async function findPatientContacts(ctx: DbCtx, ids: string[]): Promise<Map<string, PatientContact>> {
  if (ids.length === 0) return new Map();
  const p = ctx.t.patients;
  const rows = await ctx.db
    .select({ id: p.id, firstName: p.firstName, email: p.email, messagesByEmail: p.messagesByEmail })
    .from(p)
    .where(inArray(p.id, [...new Set(ids)]));
  return new Map(rows.map(({ id, ...contact }) => [id, contact]));
}

/** Staff accounts by id, by name. */
export function listStaffByIds(
  ctx: DbCtx,
  ids: string[],
): Promise<{ id: string; email: string; name: string }[]> {
  const s = ctx.t.staffAccounts;
  return ctx.db
    .select({ id: s.id, email: s.email, name: s.name })
    .from(s)
    .where(inArray(s.id, ids))
    .orderBy(asc(s.name));
}

/** The ids of active staff with the practitioner role. */
export async function listActivePractitionerIds(ctx: DbCtx): Promise<string[]> {
  const s = ctx.t.staffAccounts;
  const rows = await ctx.db
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.role, 'practitioner'), eq(s.status, 'active')));
  return rows.map((r) => r.id);
}

/** Which of `ids` are active staff accounts. */
export async function listActiveStaffIds(ctx: DbCtx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const s = ctx.t.staffAccounts;
  const rows = await ctx.db
    .select({ id: s.id })
    .from(s)
    .where(and(inArray(s.id, [...new Set(ids)]), eq(s.status, 'active')));
  return new Set(rows.map((r) => r.id));
}

/**
 * `rows`, in the same order, each with its patient's name; a row whose patient is missing is
 * dropped, as the inner join these replace did.
 */
export async function withPatientNames<R>(
  ctx: DbCtx,
  rows: R[],
  patientIdOf: (row: R) => string,
): Promise<(R & { patient: PatientName })[]> {
  const names = await findPatientNames(ctx, rows.map(patientIdOf));
  return rows.flatMap((row) => {
    const patient = names.get(patientIdOf(row));
    return patient ? [{ ...row, patient }] : [];
  });
}

/** As `withPatientNames`, with what a message to the patient needs. */
export async function withPatientContacts<R>(
  ctx: DbCtx,
  rows: R[],
  patientIdOf: (row: R) => string,
): Promise<(R & { patient: PatientContact })[]> {
  const contacts = await findPatientContacts(ctx, rows.map(patientIdOf));
  return rows.flatMap((row) => {
    const patient = contacts.get(patientIdOf(row));
    return patient ? [{ ...row, patient }] : [];
  });
}
