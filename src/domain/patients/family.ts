import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, validated } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { insertSelfServedPatient, selfServedPatientEvent } from './create-patient.ts';
import {
  insertGuardianLink,
  listActiveDependentIds,
  listActiveDependents,
  lockPatient,
  type Patient,
} from './patients.repo.ts';
import { patientInput } from './patients.schema.ts';

export const dependentInput = patientInput.pick({ firstName: true, lastName: true, dateOfBirth: true });

/**
 * Whose data a signed-in patient reaches at `now`: themselves and the dependants they are still
 * guardian of (an ended link reaches nothing). Every patient-facing query in the domain asks this
 * first; anything outside answers 404.
 */
export async function patientScope(q: DbCtx, patientId: string, now: Date): Promise<Set<string>> {
  return new Set([patientId, ...(await listActiveDependentIds(q, patientId, now))]);
}

/** Family accounts: a signed-in patient adds dependants (children, a parent they care for). */
export function patientFamily(deps: { db: Db; clock: Clock; audit: AuditService; clinic: ClinicService }) {
  const { db, clock, audit, clinic } = deps;
  return {
    /**
     * Adds a dependant, up to the clinic's number per guardian: counted under the guardian's
     * lock, so requests racing at the limit pass one at a time.
     */
    async addDependent(guardian: Actor & { id: string }, input: unknown): Promise<Patient> {
      const d = validated(dependentInput, input);
      const { dependentsPerGuardian: max } = await clinic.get();
      return db.tx(async (ctx) => {
        const now = clock.now();
        await lockPatient(ctx, guardian.id);
        if ((await listActiveDependentIds(ctx, guardian.id, now)).length >= max) {
          throw conflict({ key: 'too_many_dependants', params: { max } }, 'too_many_dependants');
        }
        const patient = await insertSelfServedPatient(ctx, { ...d, email: null, phone: null }, now);
        await insertGuardianLink(ctx, guardian.id, patient.id, now);
        await audit.record(ctx, guardian, selfServedPatientEvent('patient.add-dependent', patient));
        return patient;
      });
    },

    /** The guardian's dependants (audited as a read of each one's record). */
    async dependents(guardian: Actor & { id: string }): Promise<Patient[]> {
      const rows = await listActiveDependents(db.reader, guardian.id, clock.now());
      const event = { action: 'patient.list-dependents', entity: 'patient', patientId: guardian.id };
      return audit.recordListRead(guardian, event, rows);
    },
  };
}

export type PatientFamily = ReturnType<typeof patientFamily>;
