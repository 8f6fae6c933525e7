import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { FileVault } from '../../storage/types.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { NotesService } from '../chart/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { FormsService } from '../forms/index.ts';
import type { PatientsService } from '../patients/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';

/** What the exports area's use cases are given (index.ts builds it once). */
export interface ExportsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditService;
  queue: JobQueue;
  files: FileVault;
  clinic: Pick<ClinicService, 'get'>;
  patients: Pick<PatientsService, 'get'>;
  appointments: Pick<AppointmentsService, 'listOfPatient' | 'listForPatient'>;
  documents: Pick<DocumentsService, 'list' | 'listOwn' | 'open' | 'openOwn'>;
  notes: Pick<NotesService, 'listOfPatient' | 'read' | 'signedForPatient'>;
  forms: Pick<FormsService, 'listOfPatient' | 'read' | 'listOwn' | 'readOwn'>;
  accounts: Pick<AccountsService, 'list'>;
}
