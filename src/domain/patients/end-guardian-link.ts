import { DateTime } from 'luxon';
import { z } from 'zod';
import { AppError, notFound, validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import type { AccessDeps } from './patient-access.ts';
import { findGuardianLink, findPatientById, setGuardianLinkEnd } from './patients.repo.ts';

/** From this age a dependant may end a guardian's access themselves. */
export const ADULT_AGE = 18;

/** Staff may give the day a link ends (it ends as that day starts, in the clinic's time zone). */
export const guardianLinkEndInput = z.object({
  guardianId: z.string().min(1).max(64),
  dependentId: z.string().min(1).max(64),
  endsOn: z.iso.date({ error: 'Give the day as YYYY-MM-DD.' }).optional(),
});

const isAdultAt = (dateOfBirth: string, now: Date) =>
  DateTime.fromISO(dateOfBirth, { zone: 'UTC' }).plus({ years: ADULT_AGE }) <= DateTime.fromJSDate(now);

/**
 * Ends a guardian's access to a dependant: staff (now, or from a later day they give), the
 * guardian, or the dependant once an adult (a child may not lock a parent out) — both of the
 * latter at once. Only a link in force can be ended; one the actor is no party to is not found.
 * An ended link gives no access anywhere (`patientScope`, the family lists, messages to
 * guardians). Audited for both patients.
 */
export async function endGuardianLink(deps: AccessDeps, actor: Actor, input: unknown): Promise<void> {
  const { guardianId, dependentId, endsOn } = validated(guardianLinkEndInput, input);
  const byStaff = actor.type === 'staff';
  if (!byStaff && actor.id !== guardianId && actor.id !== dependentId) throw notFound('that_family_link');
  const { timeZone } = await deps.clinic.get();
  await deps.db.tx(async (ctx) => {
    const now = deps.clock.now();
    const link = await findGuardianLink(ctx, guardianId, dependentId);
    if (!link || (link.endsAt && link.endsAt <= now)) throw notFound('that_family_link');
    if (!byStaff && actor.id === dependentId && actor.id !== guardianId) {
      const dependant = await findPatientById(ctx, dependentId);
      if (!dependant || !isAdultAt(dependant.dateOfBirth, now)) {
        throw new AppError('guardian_end_adults_only', 'guardian_end_adults_only', { status: 403 });
      }
    }
    // A day already begun or past ends the link now.
    const from = byStaff && endsOn ? DateTime.fromISO(endsOn, { zone: timeZone }).toMillis() : 0;
    const endsAt = new Date(Math.max(from, now.getTime()));
    await setGuardianLinkEnd(ctx, link, endsAt);
    for (const patientId of [dependentId, guardianId]) {
      await deps.audit.record(ctx, actor, {
        action: 'patient.end-guardian-link',
        entity: 'patient',
        entityId: dependentId,
        patientId,
        details: { guardianId, dependentId, later: endsAt > now },
      });
    }
  });
}
