import { z } from 'zod';
import { defineJob, type JobDefinition, jobType, type ScheduleDefinition } from '../../jobs/index.ts';
import type { PatientErasure } from './erase-records.ts';

export const LIST_RETENTION_ENDED = jobType('patients.list-retention-ended', z.object({}).passthrough());

/**
 * Daily: the restricted records whose retention period has ended are listed in the Inbox for an
 * admin to confirm the purge (`purge_listed_at`; each audited, ids only). Nothing is deleted here:
 * a person decides. Re-running lists nothing twice.
 */
export function erasureJobs(deps: { erasure: PatientErasure }): {
  definitions: JobDefinition<any>[];
  schedules: ScheduleDefinition[];
} {
  const list = defineJob(LIST_RETENTION_ENDED, {
    async handle() {
      await deps.erasure.listRetentionEnded();
    },
  });
  return {
    definitions: [list],
    schedules: [{ id: LIST_RETENTION_ENDED.name, cron: '41 4 * * *', job: LIST_RETENTION_ENDED }],
  };
}
