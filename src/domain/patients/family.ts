import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import {
  findPossibleDuplicateId,
  insertGuardianLink,
  insertPatient,
  listActiveDependentIds,
  listActiveDependents,
  type Patient,
} from './patients.repo.ts';
import { patientInput, searchNameOf } from './patients.schema.ts';

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
        const searchName = searchNameOf(d.firstName, d.lastName);
        const same = await findPossibleDuplicateId(ctx, searchName, d.dateOfBirth);
        const patient = await insertPatient(ctx, {
          id: newId(),
          ...d,
          email: null,
          phone: null,
          searchName,
          possibleDuplicateOf: same,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        });
        await insertGuardianLink(ctx, guardian.id, patient.id, now);
        await audit.record(ctx, guardian, {
          action: 'patient.add-dependent',
          entity: 'patient',
          entityId: patient.id,
          patientId: patient.id,
          details: { possibleDuplicate: Boolean(same) },
        });
        return patient;
      });
    },

    /** The guardian's dependants (audited as a read of each one's record). */
    async dependents(guardian: Actor & { id: string }): Promise<Patient[]> {
      const rows = await listActiveDependents(db.reader, guardian.id);
      await audit.recordRead(guardian, {
        action: 'patient.list-dependents',
        entity: 'patient',
        patientId: guardian.id,
        details: { count: rows.length },
      });
      return rows;
    },
  };
}

export type PatientFamily = ReturnType<typeof patientFamily>;
