import type { DbCtx } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById, type Patient } from './patients.repo.ts';
import type { PatientsDeps } from './patients.service.ts';
import { insertPatientChanges, listPatientChanges, type PatientChange } from './record.repo.ts';

/** A column's value as the history keeps it: text, or null. */
const asText = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

/**
 * Keeps, in the caller's transaction, one history row per field of `fields` whose value differs
 * between `before` and `after` (who, when, old, new): every change of a record goes through here,
 * staff's edits and a patient's own (a verified contact, a consent). Answers the fields kept.
 */
export async function keepRecordChanges(
  ctx: DbCtx,
  actor: Actor,
  before: Patient,
  after: Patient,
  fields: readonly (keyof Patient)[],
  at: Date,
): Promise<(keyof Patient)[]> {
  const changed = fields.filter((f) => asText(before[f]) !== asText(after[f]));
  await insertPatientChanges(
    ctx,
    changed.map(
      (field): PatientChange => ({
        id: newId(),
        patientId: after.id,
        version: after.version,
        field,
        oldValue: asText(before[field]),
        newValue: asText(after[field]),
        actorType: actor.type,
        actorId: actor.id,
        changedAt: at,
      }),
    ),
  );
  return changed;
}

/** The record's history (each field changed: old, new, who, when), newest first; audited as a read. */
export async function listRecordHistory(
  deps: PatientsDeps,
  actor: Actor,
  patientId: string,
  limit = 200,
): Promise<PatientChange[]> {
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  const rows = await listPatientChanges(deps.db.reader, patientId, limit);
  return deps.audit.recordListRead(
    actor,
    { action: 'patient.history', entity: 'patient', entityId: patientId, patientId },
    rows,
  );
}
