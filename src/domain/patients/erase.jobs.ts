import { type AreaJobs, upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import type { PatientErasure } from './erase-records.ts';

export const LIST_RETENTION_ENDED = upkeepJobType('patients.list-retention-ended', '41 4 * * *');

/**
 * Daily: the restricted records whose retention period has ended are listed in the Inbox for an
 * admin to confirm the purge (`purge_listed_at`; each audited, ids only). Nothing is deleted here:
 * a person decides. Re-running lists nothing twice.
 */
export function erasureJobs(deps: { erasure: PatientErasure }): AreaJobs {
  return upkeepJob(LIST_RETENTION_ENDED, () => deps.erasure.listRetentionEnded());
}
