import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { validated } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { insertSelfServedPatient, selfServedPatientEvent } from './create-patient.ts';
import {
  insertGuardianLink,
  listActiveDependentIds,
  listActiveDependents,
  type Patient,
} from './patients.repo.ts';
import { patientInput } from './patients.schema.ts';

export const dependentInput = patientInput.pick({ firstName: true, lastName: true, dateOfBirth: true });

/**
 * Whose data a signed-in patient reaches: themselves and the dependants they are guardian of.
 * Every patient-facing query in the domain asks this first; anything outside answers 404.
 */
export async function patientScope(q: DbCtx, patientId: string): Promise<Set<string>> {
  return new Set([patientId, ...(await listActiveDependentIds(q, patientId))]);
}

/** Family accounts: a signed-in patient adds dependants (children, a parent they care for). */
export function patientFamily(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  return {
    async addDependent(guardian: Actor & { id: string }, input: unknown): Promise<Patient> {
      const d = validated(dependentInput, input);
      return db.tx(async (ctx) => {
        const now = clock.now();
        const patient = await insertSelfServedPatient(ctx, { ...d, email: null, phone: null }, now);
        await insertGuardianLink(ctx, guardian.id, patient.id, now);
        await audit.record(ctx, guardian, selfServedPatientEvent('patient.add-dependent', patient));
        return patient;
      });
    },

    /** The guardian's dependants (audited as a read of each one's record). */
    async dependents(guardian: Actor & { id: string }): Promise<Patient[]> {
      const rows = await listActiveDependents(db.reader, guardian.id);
      const event = { action: 'patient.list-dependents', entity: 'patient', patientId: guardian.id };
      return audit.recordListRead(guardian, event, rows);
    },
  };
}

export type PatientFamily = ReturnType<typeof patientFamily>;
