import { and, asc, eq, gt, inArray, isNotNull, isNull, like, or, sql } from 'drizzle-orm';
import type { SelectResultFields } from 'drizzle-orm/query-builders/select.types';
import type { SelectedFieldsFlat } from 'drizzle-orm/sqlite-core';
import type { DbCtx } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import { param, preparedQuery } from '../../db/prepared.ts';
import {
  columnsOf,
  findRow,
  firstRow,
  hasRow,
  insertRow,
  rowsWhereIn,
  updateRow,
  updateWhere,
} from '../../db/rows.ts';

/**
 * Patient records and families (`patients`, `patient_guardians`): every query of those tables.
 * Sign-in's tables are in sign-in.repo.ts, invitations' in invites.repo.ts, passkeys' in
 * passkeys.repo.ts. The last section is what other areas read and write through index.ts.
 */
export type Patient = typeof import('../../db/schema/sqlite.ts').patients.$inferSelect;
export type NewPatient = typeof import('../../db/schema/sqlite.ts').patients.$inferInsert;
/** The columns a change of a patient's record may set. */
export type PatientChanges = Partial<Omit<NewPatient, 'id'>>;

/**
 * A search as typed: words each starting a word of the name (no LIKE wildcards: searchNameOf
 * keeps letters and digits only), an exact email, or digits found inside the phone number.
 */
export interface PatientMatch {
  words: string[];
  email: string;
  phoneDigits: string | null;
}

export function insertPatient(ctx: DbCtx, values: NewPatient): Promise<Patient> {
  return insertRow(ctx, ctx.t.patients, values);
}

/**
 * Changes the patient's columns and moves the record to its next `version` (so a staff tab that
 * read it before does not overwrite the change); the updated row, or null when there is no such
 * patient.
 */
export function updatePatient(ctx: DbCtx, id: string, changes: PatientChanges): Promise<Patient | null> {
  const p = ctx.t.patients;
  return updateRow(ctx, p, eq(p.id, id), { ...changes, version: sql`${p.version} + 1` });
}

/** The id of a patient with this search name and date of birth (any status), or null. */
export async function findPossibleDuplicateId(
  ctx: DbCtx,
  searchName: string,
  dateOfBirth: string,
): Promise<string | null> {
  const p = ctx.t.patients;
  const sameNameAndBirth = and(eq(p.searchName, searchName), eq(p.dateOfBirth, dateOfBirth));
  const same = await firstRow(ctx.db.select({ id: p.id }).from(p).where(sameNameAndBirth).limit(1));
  return same?.id ?? null;
}

/**
 * Active patients (archived ones too with `includeArchived`; never restricted or erased ones) by last name, first name (then id,
 * so pages do not overlap): all of them, or
 * those `match` finds — every word starting a word of the name, or the exact email, or the
 * phone digits within the number.
 */
export function listActivePatients(
  ctx: DbCtx,
  options: { match?: PatientMatch | undefined; limit: number; offset?: number; includeArchived?: boolean },
): Promise<Patient[]> {
  const p = ctx.t.patients;
  const { match } = options;
  const startsAWord = (word: string) => or(like(p.searchName, `${word}%`), like(p.searchName, `% ${word}%`));
  return ctx.db
    .select()
    .from(p)
    .where(
      and(
        options.includeArchived ? undefined : eq(p.status, 'active'),
        // Restricted records (GDPR art. 18) and erased ones are reached by their link only.
        isNull(p.restrictedAt),
        isNull(p.erasedAt),
        match
          ? or(
              match.words.length ? and(...match.words.map(startsAWord)) : undefined,
              eq(p.email, match.email),
              match.phoneDigits ? like(p.phone, `%${match.phoneDigits}%`) : undefined,
            )
          : undefined,
      ),
    )
    .orderBy(asc(p.lastName), asc(p.firstName), asc(p.id))
    .limit(options.limit)
    .offset(options.offset ?? 0);
}

/** Active records flagged as possibly someone else's (`possibleDuplicateOf`), oldest first, at most `limit`. */
export function listFlaggedDuplicates(ctx: DbCtx, limit: number): Promise<Patient[]> {
  const p = ctx.t.patients;
  return ctx.db
    .select()
    .from(p)
    .where(and(eq(p.status, 'active'), isNotNull(p.possibleDuplicateOf), isNull(p.restrictedAt)))
    .orderBy(asc(p.createdAt), asc(p.id))
    .limit(limit);
}

/** The patients with these ids (any status), in one query. */
export function listPatientsByIds(ctx: DbCtx, ids: readonly string[]): Promise<Patient[]> {
  const p = ctx.t.patients;
  return rowsWhereIn(ctx, p, p.id, [...new Set(ids)], []);
}

// ---------------------------------------------------------------- families

export async function insertGuardianLink(
  ctx: DbCtx,
  guardianId: string,
  dependentId: string,
  now: Date,
): Promise<void> {
  await ctx.db.insert(ctx.t.patientGuardians).values({ guardianId, dependentId, createdAt: now });
}

/** A family link: who is guardian of whom, since when, and when it ends (null: no end set). */
export type GuardianLink = typeof import('../../db/schema/sqlite.ts').patientGuardians.$inferSelect;

/** A link with no end, or one still ahead of `now`: the only kind that gives a guardian access. */
function linkInForce(ctx: DbCtx, now: Date) {
  const g = ctx.t.patientGuardians;
  return or(isNull(g.endsAt), gt(g.endsAt, now));
}

/**
 * The family links of `patientId` in force at `now` (`as` their guardian: to their dependants;
 * `as` a dependant: to their guardians), each with the active patient at its other end.
 */
function activeRelativesOf(ctx: DbCtx, patientId: string, as: 'guardian' | 'dependant', now: Date) {
  const { patientGuardians: g, patients: p } = ctx.t;
  const [mine, theirs] = as === 'guardian' ? [g.guardianId, g.dependentId] : [g.dependentId, g.guardianId];
  return ctx.db
    .select({ patient: p, link: g })
    .from(g)
    .innerJoin(p, eq(p.id, theirs))
    .where(and(eq(mine, patientId), eq(p.status, 'active'), linkInForce(ctx, now)));
}

/** The guardian's active dependants at `now`. */
export async function listActiveDependents(ctx: DbCtx, guardianId: string, now: Date): Promise<Patient[]> {
  return (await activeRelativesOf(ctx, guardianId, 'guardian', now)).map((r) => r.patient);
}

/** The ids of the guardian's active dependants at `now` (every patient read asks: prepared). */
export async function listActiveDependentIds(ctx: DbCtx, guardianId: string, now: Date): Promise<string[]> {
  return (await activeDependentIds(ctx, { guardianId, now })).map((p) => p.id);
}

const activeDependentIds = preparedQuery((ctx) => {
  const { patientGuardians: g, patients: p } = ctx.t;
  return ctx.db
    .select({ id: p.id })
    .from(g)
    .innerJoin(p, eq(p.id, g.dependentId))
    .where(
      and(
        eq(g.guardianId, param('guardianId')),
        eq(p.status, 'active'),
        or(isNull(g.endsAt), gt(g.endsAt, param('now', g.endsAt))),
      ),
    );
});

/** A relative and the link to them, as the family view shows it. */
export type RelativeLink = { patient: Patient; link: GuardianLink };

/** The patient's links in force at `now`, each way: their guardians and their dependants, oldest first. */
export async function listFamilyLinks(
  ctx: DbCtx,
  patientId: string,
  now: Date,
): Promise<{ guardians: RelativeLink[]; dependents: RelativeLink[] }> {
  const g = ctx.t.patientGuardians;
  const oldestFirst = [g.createdAt, g.guardianId, g.dependentId] as const;
  return {
    guardians: await activeRelativesOf(ctx, patientId, 'dependant', now).orderBy(...oldestFirst),
    dependents: await activeRelativesOf(ctx, patientId, 'guardian', now).orderBy(...oldestFirst),
  };
}

/** The link between these two, whatever its state, or null. */
export function findGuardianLink(
  ctx: DbCtx,
  guardianId: string,
  dependentId: string,
): Promise<GuardianLink | null> {
  const g = ctx.t.patientGuardians;
  return findRow(ctx, g, and(eq(g.guardianId, guardianId), eq(g.dependentId, dependentId)));
}

/** Sets when the link ends. */
export function setGuardianLinkEnd(
  ctx: DbCtx,
  link: Pick<GuardianLink, 'guardianId' | 'dependentId'>,
  endsAt: Date,
): Promise<void> {
  const g = ctx.t.patientGuardians;
  const which = and(eq(g.guardianId, link.guardianId), eq(g.dependentId, link.dependentId));
  return updateWhere(ctx, g, which, { endsAt });
}

// ---------------------------------------------------------------- for other areas

export interface PatientName {
  firstName: string;
  lastName: string;
}

/** What a message about an appointment needs of its patient. */
export interface PatientContact {
  firstName: string;
  email: string | null;
  messagesByEmail: boolean;
}

/** A channel a patient can turn messages off on. */
export type MessageChannel = 'email' | 'sms' | 'push';

/** The patient's row (any status), or null: consents, addresses, language, quiet hours. */
export function findPatientById(ctx: DbCtx, id: string): Promise<Patient | null> {
  const p = ctx.t.patients;
  return findRow(ctx, p, eq(p.id, id));
}

/** Whether any patient record exists, whatever its status (the demo refuses a database with data). */
export function hasAnyPatient(ctx: DbCtx): Promise<boolean> {
  return hasRow(ctx, ctx.t.patients, undefined);
}

/** Whether the patient exists and is active (check `status`); null when there is no such patient. */
export function findPatientStatus(
  ctx: DbCtx,
  id: string,
): Promise<{ id: string; status: Patient['status'] } | null> {
  const p = ctx.t.patients;
  return firstRow(ctx.db.select({ id: p.id, status: p.status }).from(p).where(eq(p.id, id)));
}

/** The patients' names by id (any status; ids with no patient are absent). */
export function findPatientNames(ctx: DbCtx, ids: readonly string[]): Promise<Map<string, PatientName>> {
  const p = ctx.t.patients;
  return pickPatientColumns(ctx, ids, { firstName: p.firstName, lastName: p.lastName });
}

/** What a message to each patient needs, by id (any status; ids with no patient are absent). */
export function findPatientContacts(
  ctx: DbCtx,
  ids: readonly string[],
): Promise<Map<string, PatientContact>> {
  const p = ctx.t.patients;
  return pickPatientColumns(ctx, ids, {
    firstName: p.firstName,
    email: p.email,
    messagesByEmail: p.messagesByEmail,
  });
}

/** The `columns` of each patient with these ids, by id, in one query (unknown ids are absent). */
async function pickPatientColumns<F extends SelectedFieldsFlat>(
  ctx: DbCtx,
  ids: readonly string[],
  columns: F,
): Promise<Map<string, SelectResultFields<F>>> {
  if (ids.length === 0) return new Map();
  const p = ctx.t.patients;
  const rows = await ctx.db
    .select({ id: p.id, columns })
    .from(p)
    .where(inArray(p.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row.columns as SelectResultFields<F>]));
}

/** The patient's preferred language as stored (e.g. 'fr-CA'); null when none or no such patient. */
export async function findPatientLanguage(ctx: DbCtx, id: string): Promise<string | null> {
  const p = ctx.t.patients;
  const row = await firstRow(ctx.db.select({ lang: p.preferredLanguage }).from(p).where(eq(p.id, id)));
  return row?.lang ?? null;
}

/** The active guardians of a dependant at `now` (ended links left out), the oldest link first. */
export async function listActiveGuardians(ctx: DbCtx, dependentId: string, now: Date): Promise<Patient[]> {
  const g = ctx.t.patientGuardians;
  const rows = await activeRelativesOf(ctx, dependentId, 'dependant', now).orderBy(g.createdAt, g.guardianId);
  return rows.map((r) => r.patient);
}

/** Whether `guardianId` is still a guardian of `dependentId` at `now` (whatever either's status). */
export function isGuardianOf(
  ctx: DbCtx,
  guardianId: string,
  dependentId: string,
  now: Date,
): Promise<boolean> {
  const g = ctx.t.patientGuardians;
  const link = and(eq(g.guardianId, guardianId), eq(g.dependentId, dependentId), linkInForce(ctx, now));
  return hasRow(ctx, g, link);
}

/**
 * Locks the patient's row for the rest of the transaction (PostgreSQL; SQLite's one writer
 * already excludes the rest), so what is counted per patient (their open online bookings, a
 * guardian's dependants) is counted one request after the other. Answers whether it exists.
 */
export function lockPatient(ctx: DbCtx, id: string): Promise<boolean> {
  const p = ctx.t.patients;
  return lockRow(ctx, p, p.id, id);
}

const consentColumns = { email: 'messagesByEmail', sms: 'messagesBySms', push: 'messagesByPush' } as const;

/** Turns the patient's consent to messages on `channel` off (an unsubscribe link; the caller audits). */
export async function turnPatientChannelOff(
  ctx: DbCtx,
  patientId: string,
  channel: MessageChannel,
  now: Date,
): Promise<void> {
  await updatePatient(ctx, patientId, { [consentColumns[channel]]: false, updatedAt: now });
}

// ---------------------------------------------------------------- upkeep at start

/** What the tidy-up at start reads of every record: its names, phone and search name. */
export type PatientSearchFields = Pick<Patient, 'id' | 'firstName' | 'lastName' | 'phone' | 'searchName'>;

export function listPatientSearchFields(ctx: DbCtx): Promise<PatientSearchFields[]> {
  const p = ctx.t.patients;
  return ctx.db.select(columnsOf(p, ['id', 'firstName', 'lastName', 'phone', 'searchName'])).from(p);
}

/**
 * Sets the record's phone and search name, only if they are still `was` (another instance
 * starting at once, or a change meanwhile, wins). Whether it changed the row.
 */
export async function replaceSearchFields(
  ctx: DbCtx,
  was: PatientSearchFields,
  next: Pick<Patient, 'phone' | 'searchName'>,
): Promise<boolean> {
  const p = ctx.t.patients;
  const unchanged = and(
    eq(p.id, was.id),
    was.phone === null ? isNull(p.phone) : eq(p.phone, was.phone),
    eq(p.searchName, was.searchName),
  );
  return (await updateRow(ctx, p, unchanged, next)) !== null;
}
