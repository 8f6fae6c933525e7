import { z } from 'zod';
import { defineJob, type JobDefinition, jobType, type ScheduleDefinition } from '../../jobs/index.ts';
import type { PatientSignIn } from './sign-in.ts';

export const PRUNE_PATIENT_SESSIONS = jobType('patients.prune-sessions', z.object({}).passthrough());

/** The patient area's upkeep: ended patient sessions are deleted nightly. */
export function patientsJobs(deps: { signIn: PatientSignIn }): {
  definitions: JobDefinition<any>[];
  schedules: ScheduleDefinition[];
} {
  const prune = defineJob(PRUNE_PATIENT_SESSIONS, {
    async handle() {
      await deps.signIn.pruneSessions();
    },
  });
  return {
    definitions: [prune],
    schedules: [{ id: PRUNE_PATIENT_SESSIONS.name, cron: '29 3 * * *', job: PRUNE_PATIENT_SESSIONS }],
  };
}
