import type { AccountsService } from '../accounts/index.ts';
import type { AreaDeps } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';

/** What the documents area's use cases are given (index.ts builds it once). */
export interface DocumentsDeps extends AreaDeps<'log' | 'files' | 'notify'> {
  /** The clinic's time zone dates a document uploaded without a date. */
  clinic: Pick<ClinicService, 'get'>;
  /** Whose appointment an upload names (it must be the same patient's). */
  appointments: Pick<AppointmentsService, 'forNotification'>;
  /** Who is told when a stored file fails its check. */
  accounts: Pick<AccountsService, 'list'>;
  /** The upload limit, in bytes (--max-upload-mb). */
  maxBytes: number;
  /** How long a deleted document's file is kept before the purge job removes it. */
  retentionDays: number;
}
