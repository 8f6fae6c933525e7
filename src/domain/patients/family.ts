import { and, eq } from 'drizzle-orm';
import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { patientInput, searchNameOf } from './patients.schema.ts';
import type { Patient } from './patients.service.ts';

export const dependentInput = patientInput.pick({ firstName: true, lastName: true, dateOfBirth: true });

/**
 * Whose data a signed-in patient reaches: themselves and the dependants they are guardian of.
 * Every patient-facing query in the domain asks this first; anything outside answers 404.
 */
export async function patientScope(q: DbCtx, patientId: string): Promise<Set<string>> {
  const rows = await q.db
    .select({ id: q.t.patientGuardians.dependentId })
    .from(q.t.patientGuardians)
    .innerJoin(q.t.patients, eq(q.t.patients.id, q.t.patientGuardians.dependentId))
    .where(and(eq(q.t.patientGuardians.guardianId, patientId), eq(q.t.patients.status, 'active')));
  return new Set([patientId, ...rows.map((r) => r.id)]);
}

/** Family accounts: a signed-in patient adds dependants (children, a parent they care for). */
export function patientFamily(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const t = db.reader.t;
  return {
    async addDependent(guardian: Actor & { id: string }, input: unknown): Promise<Patient> {
      const parsed = validated(dependentInput, input);
      const d = parsed;
      return db.tx(async (ctx) => {
        const now = clock.now();
        const searchName = searchNameOf(d.firstName, d.lastName);
        const [same] = await ctx.db
          .select({ id: ctx.t.patients.id })
          .from(ctx.t.patients)
          .where(
            and(eq(ctx.t.patients.searchName, searchName), eq(ctx.t.patients.dateOfBirth, d.dateOfBirth)),
          )
          .limit(1);
        const [patient] = await ctx.db
          .insert(ctx.t.patients)
          .values({
            id: newId(),
            ...d,
            email: null,
            phone: null,
            searchName,
            possibleDuplicateOf: same?.id ?? null,
            status: 'active',
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await ctx.db
          .insert(ctx.t.patientGuardians)
          .values({ guardianId: guardian.id, dependentId: patient!.id, createdAt: now });
        await audit.record(ctx, guardian, {
          action: 'patient.add-dependent',
          entity: 'patient',
          entityId: patient!.id,
          patientId: patient!.id,
          details: { possibleDuplicate: Boolean(same) },
        });
        return patient!;
      });
    },

    /** The guardian's dependants (audited as a read of each one's record). */
    async dependents(guardian: Actor & { id: string }): Promise<Patient[]> {
      const rows = await db.reader.db
        .select({ patient: t.patients })
        .from(t.patientGuardians)
        .innerJoin(t.patients, eq(t.patients.id, t.patientGuardians.dependentId))
        .where(and(eq(t.patientGuardians.guardianId, guardian.id), eq(t.patients.status, 'active')));
      await audit.recordRead(guardian, {
        action: 'patient.list-dependents',
        entity: 'patient',
        patientId: guardian.id,
        details: { count: rows.length },
      });
      return rows.map((r) => r.patient);
    },
  };
}

export type PatientFamily = ReturnType<typeof patientFamily>;
