import type { Cache } from '../../lib/cache.ts';
import type { AreaDeps } from '../area.ts';
import type { BackupSettings } from './backups.settings.ts';

/** What the backups area's use cases are given (index.ts builds it once). */
export interface BackupsDeps extends AreaDeps<'config' | 'log' | 'queue' | 'files'> {
  /** Null when no `--backup-to` is set (nothing is scheduled). */
  settings: BackupSettings | null;
  /** The clinic's time zone (read at start-up), which the schedule and retention periods use. */
  timeZone(): string;
  /** When the last backup succeeded (ms since the epoch, or null for never), cached a minute. */
  lastSuccess: Cache<{ at: number | null }>;
}
