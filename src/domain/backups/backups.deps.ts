import type { Config } from '../../config/index.ts';
import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Cache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { FileVault } from '../../storage/types.ts';
import type { AuditService } from '../audit/index.ts';
import type { BackupSettings } from './backups.settings.ts';

/** What the backups area's use cases are given (index.ts builds it once). */
export interface BackupsDeps {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  queue: JobQueue;
  audit: AuditService;
  files: FileVault;
  /** Null when no `--backup-to` is set (nothing is scheduled). */
  settings: BackupSettings | null;
  /** The clinic's time zone (read at start-up), which the schedule and retention periods use. */
  timeZone(): string;
  /** When the last backup succeeded (ms since the epoch, or null for never), cached a minute. */
  lastSuccess: Cache<{ at: number | null }>;
}
