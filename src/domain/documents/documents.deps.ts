import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { FileVault } from '../../storage/types.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';

/** What the documents area's use cases are given (index.ts builds it once). */
export interface DocumentsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditService;
  files: FileVault;
  /** The clinic's time zone dates a document uploaded without a date. */
  clinic: Pick<ClinicService, 'get'>;
  notify: Pick<Notifier, 'dispatch'>;
  /** Whose appointment an upload names (it must be the same patient's). */
  appointments: Pick<AppointmentsService, 'forNotification'>;
  /** Who is told when a stored file fails its check. */
  accounts: Pick<AccountsService, 'list'>;
  /** The upload limit, in bytes (--max-upload-mb). */
  maxBytes: number;
  /** How long a deleted document's file is kept before the purge job removes it. */
  retentionDays: number;
}
