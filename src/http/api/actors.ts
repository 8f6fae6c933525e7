import type { Context } from 'hono';
import type { PatientSession } from '../../domain/patients/index.ts';
import type { Booker } from '../../domain/scheduling/index.ts';
import { unauthorized } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv } from '../types.ts';

/**
 * Who is acting on this request: signed-in staff (with their role), else the signed-in patient —
 * whom the domain then holds to their own appointments and the online booking rules.
 */
export function bookerOf(c: Context<AppEnv>): Booker {
  const staff = c.get('staff');
  if (staff) return { actor: actorOf(c), role: staff.account.role };
  const patientId = c.get('patient')?.patientId;
  if (!patientId) throw unauthorized();
  return { actor: { ...actorOf(c, null), type: 'patient', id: patientId } };
}

/** The patient of this session as an audit actor: their id, or null until they have registered. */
export const patientActorOf = (c: Context<AppEnv>) => ({
  ...actorOf(c, null),
  type: 'patient' as const,
  id: c.get('patient')?.patientId ?? null,
});

/** The signed-in, registered patient as an audit actor (routes of policy `patient`). */
export const registeredPatientOf = (c: Context<AppEnv>) => ({
  ...actorOf(c, null),
  type: 'patient' as const,
  id: c.get('patient')!.patientId!,
});

/** The session of the signed-in, registered patient (routes of policy `patient`). */
export const registeredSessionOf = (c: Context<AppEnv>) =>
  c.get('patient') as PatientSession & { patientId: string };
