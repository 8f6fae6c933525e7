import type { AccountsService } from '../accounts/index.ts';
import type { AreaDeps } from '../area.ts';
import type { NotesService } from '../chart/index.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { FormsService } from '../forms/index.ts';
import type { PatientsService } from '../patients/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';

/** What the exports area's use cases are given (index.ts builds it once). */
export interface ExportsDeps extends AreaDeps<'log' | 'queue' | 'files' | 'clinic'> {
  patients: Pick<PatientsService, 'get'>;
  appointments: Pick<AppointmentsService, 'listOfPatient' | 'listForPatient'>;
  documents: Pick<DocumentsService, 'list' | 'listOwn' | 'open' | 'openOwn'>;
  notes: Pick<NotesService, 'listOfPatient' | 'read' | 'signedForPatient'>;
  forms: Pick<FormsService, 'listOfPatient' | 'read' | 'listOwn' | 'readOwn'>;
  accounts: Pick<AccountsService, 'list'>;
}
