import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { FileVault } from '../../storage/types.ts';
import type { AuditService } from '../audit/index.ts';
import type { ImportDeps } from './run-import.ts';

/** What the imports area's use cases are given (index.ts builds it once). */
export interface ImportsDeps extends ImportDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditService;
  queue: JobQueue;
  files: FileVault;
}

/** The largest CSV file the admin page takes (the CLI reads any size from the disk). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** How long the rejected-rows file of a finished import is kept. */
export const REJECTED_FILE_TTL_MS = 7 * 86_400_000;
