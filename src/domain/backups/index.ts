import { createCache } from '../../lib/cache.ts';
import { type BuildDeps, defineArea } from '../area.ts';
import type { BackupsDeps } from './backups.deps.ts';
import { backupsJobs } from './backups.jobs.ts';
import { backupsService } from './backups.service.ts';
import { backupSettingsFrom } from './backups.settings.ts';

export { BACKUP_JOB_KEY, BACKUP_SCHEDULE_ID, RUN_BACKUP } from './backups.jobs.ts';
export {
  BACKUP_STALE_MS,
  type BackupRun,
  type BackupStaleness,
  type BackupsOverview,
  type BackupsService,
} from './backups.service.ts';
export {
  type BackupSettings,
  backupSettingsFrom,
  type RetentionCounts,
  usableRecipients,
} from './backups.settings.ts';
export { archivesToDelete } from './retention.ts';

/**
 * Scheduled backups: with `--backup-to`, a job on the `--backup-schedule` (nightly 02:30 in the
 * clinic's time zone by default) writes the same encrypted archive as `clinicbox backup`,
 * retries with backoff, then applies grandfather-father-son retention. Each run is a row of
 * `backup_runs`, which the Backups page, the admins' 48-hour warning and `doctor` read.
 */
export const backupsArea = defineArea({
  name: 'backups',
  build(deps: BuildDeps) {
    // A target without a way to encrypt (or with a bad one) stops the start here, naming the flag.
    const settings = backupSettingsFrom(deps.config);
    let timeZone = 'UTC';
    const backupsDeps: BackupsDeps = {
      config: deps.config,
      db: deps.db,
      clock: deps.clock,
      log: deps.log,
      queue: deps.queue,
      audit: deps.audit,
      files: deps.files,
      settings,
      timeZone: () => timeZone,
      lastSuccess: createCache('backups.last-success', { max: 1, ttlMs: 60_000, bus: deps.db.cacheBus }),
    };
    const jobs = backupsJobs(backupsDeps);
    return {
      services: { backups: backupsService(backupsDeps) },
      jobs,
      async start() {
        timeZone = (await deps.clinic.get()).timeZone;
      },
    };
  },
});
