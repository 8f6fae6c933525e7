import { type AreaJobs, upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import type { PatientSignIn } from './sign-in.ts';

export const PRUNE_PATIENT_SESSIONS = upkeepJobType('patients.prune-sessions', '29 3 * * *');

/** The patient area's upkeep: ended patient sessions are deleted nightly. */
export function patientsJobs(deps: { signIn: PatientSignIn }): AreaJobs {
  return upkeepJob(PRUNE_PATIENT_SESSIONS, () => deps.signIn.pruneSessions());
}
