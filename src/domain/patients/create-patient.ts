import { validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { insertPatient, type Patient } from './patients.repo.ts';
import { patientInput, searchNameOf } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';

/** Staff create a patient record (the portal adds sign-in later); audited in the same transaction. */
export async function createPatient(deps: PatientsDeps, actor: Actor, input: unknown): Promise<Patient> {
  const data = validated(patientInput, input);
  return deps.db.tx(async (ctx) => {
    const now = deps.clock.now();
    const row = await insertPatient(ctx, {
      id: newId(),
      ...data,
      email: data.email?.toLowerCase() ?? null,
      searchName: searchNameOf(data.firstName, data.lastName),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    });
    await deps.audit.record(ctx, actor, {
      action: 'patient.create',
      entity: 'patient',
      entityId: row.id,
      patientId: row.id,
    });
    return row;
  });
}
