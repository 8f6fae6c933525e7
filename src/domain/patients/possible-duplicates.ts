import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { listFlaggedDuplicates, listPatientsByIds, type Patient, updatePatient } from './patients.repo.ts';
import type { PatientsDeps } from './patients.service.ts';

/** A record a patient made that may be someone's already on file, and that record (null if gone). */
export interface PossibleDuplicate {
  record: Patient;
  onFile: Patient | null;
}

/*
 * Records that registration (or a guardian adding a family member) flagged because an existing
 * one has the same name and date of birth: staff review them in the Inbox. Merging is done by
 * hand; "not the same person" clears the flag.
 */

/** The flagged active records and the ones they resemble, oldest first; audited as one read (the count). */
export async function listPossibleDuplicates(
  deps: PatientsDeps,
  actor: Actor,
  limit = 50,
): Promise<PossibleDuplicate[]> {
  const flagged = await listFlaggedDuplicates(deps.db.reader, limit);
  const others = await listPatientsByIds(
    deps.db.reader,
    flagged.map((r) => r.possibleDuplicateOf!),
  );
  const byId = new Map(others.map((o) => [o.id, o]));
  await deps.audit.recordRead(actor, {
    action: 'patient.list-duplicates',
    entity: 'patient',
    details: { matches: flagged.length },
  });
  return flagged.map((record) => ({ record, onFile: byId.get(record.possibleDuplicateOf!) ?? null }));
}

/** Staff say the flagged record is not the other one's: the flag is cleared, audited. */
export async function clearPossibleDuplicate(deps: PatientsDeps, actor: Actor, id: string): Promise<void> {
  await deps.db.tx(async (ctx) => {
    const row = await updatePatient(ctx, id, { possibleDuplicateOf: null, updatedAt: deps.clock.now() });
    if (!row) throw notFound('that_patient');
    await deps.audit.record(ctx, actor, {
      action: 'patient.not-duplicate',
      entity: 'patient',
      entityId: id,
      patientId: id,
    });
  });
}
