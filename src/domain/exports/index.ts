import type { AccountsService } from '../accounts/index.ts';
import { type BuildDeps, defineArea, pickDeps } from '../area.ts';
import type { NotesService } from '../chart/index.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { FormsService } from '../forms/index.ts';
import type { PatientsService } from '../patients/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import { exportsJobs } from './exports.jobs.ts';
import { exportsService } from './exports.service.ts';
import { exportsEraseStep } from './patient-erase.repo.ts';
import { exportsMergeStep } from './patient-merge.repo.ts';
import { exportsStoredFiles } from './stored-files.repo.ts';

export { BUILD_EXPORT, EXPORT_TTL_MS, PURGE_EXPIRED_EXPORTS } from './exports.jobs.ts';
export { type ExportsService, type ExportView, exportView, type OpenedExport } from './exports.service.ts';
export { appointmentStatus, recordBundle } from './fhir.ts';

/**
 * Exports: a patient's whole record as a zip — a FHIR R4 Bundle, a readable summary and every
 * document — for the patient (GDPR articles 15 and 20), asked for from the chart or the app, built
 * by a job, downloadable for 24 hours by the person who asked. Reads the other areas only through
 * their services, as that person.
 */
export const exportsArea = defineArea({
  name: 'exports',
  build(
    deps: BuildDeps<{
      staff: { accounts: Pick<AccountsService, 'list'> };
      patients: Pick<PatientsService, 'get'>;
      appointments: Pick<AppointmentsService, 'listOfPatient' | 'listForPatient'>;
      documents: Pick<DocumentsService, 'list' | 'listOwn' | 'open' | 'openOwn'>;
      notes: Pick<NotesService, 'listOfPatient' | 'read' | 'signedForPatient'>;
      forms: Pick<FormsService, 'listOfPatient' | 'read' | 'listOwn' | 'readOwn'>;
    }>,
  ) {
    const exportsDeps = {
      ...pickDeps(deps, ['db', 'clock', 'log', 'audit', 'queue', 'files', 'clinic']),
      ...pickDeps(deps, ['patients', 'appointments', 'documents', 'notes', 'forms']),
      accounts: deps.staff.accounts,
    };
    const jobs = exportsJobs(exportsDeps);
    return {
      services: { exports: exportsService(exportsDeps) },
      jobs,
      storedFiles: [exportsStoredFiles],
      patientMerge: [exportsMergeStep],
      patientErase: [exportsEraseStep(() => deps.clock.now())],
    };
  },
});
