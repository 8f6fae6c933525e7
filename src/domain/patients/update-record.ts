import type { DbCtx } from '../../db/client.ts';
import {
  AppError,
  conflict,
  type FieldIssue,
  fieldIssue,
  notFound,
  validated,
  validationFailed,
} from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById, type Patient, type PatientChanges } from './patients.repo.ts';
import { searchNameOf } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';
import { clinicCountry, toE164 } from './phone-numbers.ts';
import { updatePatientAtVersion } from './record.repo.ts';
import { recordChangeInput, recordVersionInput } from './record.schema.ts';
import { keepRecordChanges } from './record-history.ts';

/**
 * Staff change a patient record: demographics, contacts, emergency contact, referrer, identifiers,
 * and archiving. Each change names the version it read (two receptionists' tabs never overwrite
 * each other: the second gets 409 and nothing is saved), writes one history row per field changed
 * (old and new value, who, when) and one audit row naming the fields, never their values.
 */

/** The record changed elsewhere since it was read: nothing was saved. */
export class PatientVersionConflict extends AppError {
  constructor(readonly currentVersion: number) {
    super(
      'version_conflict',
      `This record was changed elsewhere meanwhile (now version ${currentVersion}). Reload it, then change it again.`,
      { status: 409 },
    );
  }
}

/** The columns a staff change may set, as the history names them. */
type RecordField = keyof Pick<
  Patient,
  | 'firstName'
  | 'lastName'
  | 'dateOfBirth'
  | 'sex'
  | 'email'
  | 'phone'
  | 'address'
  | 'emergencyName'
  | 'emergencyRelation'
  | 'emergencyPhone'
  | 'referrerName'
  | 'referrerPractice'
  | 'referrerContact'
  | 'identifiers'
  | 'status'
>;
type Wanted = Partial<Record<RecordField, string | null>>;

/** A change of record (PATCH): validated whole before anything is written. */
export async function updatePatientRecord(
  deps: PatientsDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<Patient> {
  const data = validated(recordChangeInput, input);
  const country = clinicCountry(await deps.clinic.get());
  const issues: FieldIssue[] = [];
  const phoneOf = (typed: string | null | undefined, path: string) => {
    if (!typed) return typed;
    const stored = toE164(typed, country);
    if (!stored) issues.push(fieldIssue(path, 'phone_invalid'));
    return stored;
  };
  const wanted: Wanted = {
    firstName: data.firstName,
    lastName: data.lastName,
    dateOfBirth: data.dateOfBirth,
    sex: data.sex,
    email: data.email?.toLowerCase() ?? data.email,
    phone: phoneOf(data.phone, 'phone'),
    address: data.address,
    emergencyName: data.emergencyContact?.name,
    emergencyRelation: data.emergencyContact?.relation,
    emergencyPhone: phoneOf(data.emergencyContact?.phone, 'emergencyContact.phone'),
    referrerName: data.referrer?.name,
    referrerPractice: data.referrer?.practice,
    referrerContact: data.referrer?.contact,
    identifiers: data.identifiers
      ? JSON.stringify(data.identifiers.map(({ type, value }) => ({ type, value })))
      : undefined,
  };
  if (issues.length > 0) throw validationFailed(issues);
  return changeRecord(deps, actor, id, data.version, wanted, 'patient.update');
}

/** Archives (or brings back) a record: it leaves search and booking, and keeps everything. */
export async function setPatientArchived(
  deps: PatientsDeps,
  actor: Actor,
  id: string,
  archived: boolean,
  input: unknown,
): Promise<Patient> {
  const { version } = validated(recordVersionInput, input ?? {});
  // A merged record stays archived: everything of it is on the record it was merged into.
  if (!archived && (await findPatientById(deps.db.reader, id))?.mergedInto)
    throw conflict('This record was merged into another: it stays archived.', 'already_merged');
  const status = archived ? 'archived' : 'active';
  return changeRecord(
    deps,
    actor,
    id,
    version,
    { status },
    archived ? 'patient.archive' : 'patient.unarchive',
  );
}

/**
 * Writes the fields of `wanted` that differ from the record, if it is at `version` (undefined:
 * whatever it is at now), with their history and an audit row, in one transaction. Nothing to
 * change: the record as it is.
 */
async function changeRecord(
  deps: PatientsDeps,
  actor: Actor,
  id: string,
  version: number | undefined,
  wanted: Wanted,
  action: string,
): Promise<Patient> {
  return deps.db.tx(async (ctx) => {
    const current = await findPatientById(ctx, id);
    if (!current) throw notFound('that_patient');
    const read = version ?? current.version;
    if (current.version !== read) throw new PatientVersionConflict(current.version);
    const fields = (Object.keys(wanted) as RecordField[]).filter(
      (f) => wanted[f] !== undefined && wanted[f] !== current[f],
    );
    if (fields.length === 0) return current;
    const now = deps.clock.now();
    const changes: PatientChanges = Object.fromEntries(fields.map((f) => [f, wanted[f]]));
    if (fields.includes('firstName') || fields.includes('lastName'))
      changes.searchName = searchNameOf(
        wanted.firstName ?? current.firstName,
        wanted.lastName ?? current.lastName,
      );
    const row = await updatePatientAtVersion(ctx, id, read, { ...changes, updatedAt: now });
    if (!row) throw new PatientVersionConflict(await versionNow(ctx, id));
    await keepRecordChanges(ctx, actor, current, row, fields, now);
    await deps.audit.record(ctx, actor, {
      action,
      entity: 'patient',
      entityId: id,
      patientId: id,
      details: { fields: fields.join(','), version: row.version },
    });
    return row;
  });
}

async function versionNow(ctx: DbCtx, id: string): Promise<number> {
  const row = await findPatientById(ctx, id);
  if (!row) throw notFound('that_patient');
  return row.version;
}
