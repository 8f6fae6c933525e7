import type { DbCtx } from '../../db/client.ts';
import { remembered } from '../../db/idempotency.ts';
import { advisoryLock } from '../../db/locks.ts';
import { fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { newId, tokenId } from '../../lib/ids.ts';
import type { Actor, AuditEvent } from '../audit/index.ts';
import {
  findPatientById,
  findPossibleDuplicateId,
  insertPatient,
  type NewPatient,
  type Patient,
} from './patients.repo.ts';
import { patientInput, searchNameOf } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';
import { clinicCountry, toE164 } from './phone-numbers.ts';

/** Staff create a patient record (the portal adds sign-in later); audited in the same transaction. */
export async function createPatient(deps: PatientsDeps, actor: Actor, input: unknown): Promise<Patient> {
  const fields = await storedFields(deps, input);
  return deps.db.tx((ctx) => insertStaffPatient(ctx, deps, actor, fields));
}

/**
 * `createPatient` under an idempotency key (a staff form's own id, or an API client's
 * Idempotency-Key): the same request sent twice — a double-clicked "Add the patient", a retry on a
 * bad network — makes one record and answers it both times (`replayed` the second): the second
 * waits for the first (a lock on the key) and finds its answer (db/idempotency.ts). The key sent
 * with other details is refused, `idempotency_key_reused` (422).
 */
export async function createPatientOnce(
  deps: PatientsDeps,
  actor: Actor,
  input: unknown,
  idempotencyKey: string,
): Promise<{ patient: Patient; replayed: boolean }> {
  const fields = await storedFields(deps, input);
  const key = `${actor.type}:${actor.id ?? '-'}:patient-create:${idempotencyKey}`;
  return deps.db.tx(async (ctx) => {
    await advisoryLock(ctx, Number.parseInt(tokenId(key).slice(0, 8), 16) | 0);
    const made = await remembered(ctx, key, JSON.stringify(fields), deps.clock.now(), async () => ({
      status: 201,
      body: { id: (await insertStaffPatient(ctx, deps, actor, fields)).id },
    }));
    const patient = await findPatientById(ctx, made.body.id);
    if (!patient) throw new Error(`patient ${made.body.id} of an answered request is gone`);
    return { patient, replayed: made.replayed };
  });
}

/** The record as stored: validated, the phone in E.164, the email lower-cased, the search name. */
async function storedFields(deps: PatientsDeps, input: unknown) {
  const data = validated(patientInput, input);
  const phone = data.phone ? await storedPhone(deps, data.phone) : null;
  return {
    ...data,
    phone,
    email: data.email?.toLowerCase() ?? null,
    searchName: searchNameOf(data.firstName, data.lastName),
  };
}

/**
 * Inserts an active record staff made (by hand, or by an import: `details` says so) and its
 * `patient.create` audit row, in the caller's transaction.
 */
export async function insertStaffPatient(
  ctx: DbCtx,
  deps: Pick<PatientsDeps, 'clock' | 'audit'>,
  actor: Actor,
  fields: Omit<NewPatient, 'id' | 'status' | 'createdAt' | 'updatedAt'>,
  details?: AuditEvent['details'],
): Promise<Patient> {
  const now = deps.clock.now();
  const row = await insertPatient(ctx, {
    id: newId(),
    ...fields,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  });
  await deps.audit.record(ctx, actor, {
    action: 'patient.create',
    entity: 'patient',
    entityId: row.id,
    patientId: row.id,
    ...(details ? { details } : {}),
  });
  return row;
}

/** The number as stored: E.164, read in the clinic's country when typed without one; 422 if it is none. */
async function storedPhone(deps: PatientsDeps, typed: string): Promise<string> {
  const stored = toE164(typed, clinicCountry(await deps.clinic.get()));
  if (!stored) throw validationFailed([fieldIssue('phone', 'phone_invalid')]);
  return stored;
}

/** What a patient gives about a new record (a registration, a dependant): the rest is derived. */
export type SelfServedPatient = Pick<
  NewPatient,
  'firstName' | 'lastName' | 'dateOfBirth' | 'email' | 'phone'
> &
  Partial<Pick<NewPatient, 'messagesByEmail' | 'messagesBySms' | 'termsVersion' | 'termsAcceptedAt'>>;

/**
 * Inserts an active record a patient made (self-registration, a dependant added by a guardian). A
 * record with the same name and date of birth is not merged: the new one names it in
 * `possibleDuplicateOf` for staff to review, because matching a stranger to someone's health
 * record on name and birthday alone would be a breach.
 */
export async function insertSelfServedPatient(
  ctx: DbCtx,
  fields: SelfServedPatient,
  now: Date,
): Promise<Patient> {
  const searchName = searchNameOf(fields.firstName, fields.lastName);
  return insertPatient(ctx, {
    id: newId(),
    ...fields,
    searchName,
    possibleDuplicateOf: await findPossibleDuplicateId(ctx, searchName, fields.dateOfBirth),
    status: 'active',
    createdAt: now,
    updatedAt: now,
  });
}

/** The audit row of a record a patient made: `action`, and whether it may duplicate another. */
export const selfServedPatientEvent = (action: string, patient: Patient): AuditEvent => ({
  action,
  entity: 'patient',
  entityId: patient.id,
  patientId: patient.id,
  details: { possibleDuplicate: Boolean(patient.possibleDuplicateOf) },
});
