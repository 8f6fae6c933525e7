import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById } from './patients.repo.ts';
import type { PatientsDeps } from './patients.service.ts';
import { listPatientChanges, type PatientChange } from './record.repo.ts';

/** The record's history (each field changed: old, new, who, when), newest first; audited as a read. */
export async function listRecordHistory(
  deps: PatientsDeps,
  actor: Actor,
  patientId: string,
  limit = 200,
): Promise<PatientChange[]> {
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  const rows = await listPatientChanges(deps.db.reader, patientId, limit);
  await deps.audit.recordRead(actor, {
    action: 'patient.history',
    entity: 'patient',
    entityId: patientId,
    patientId,
    details: { count: rows.length },
  });
  return rows;
}
