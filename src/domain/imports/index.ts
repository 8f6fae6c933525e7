import { type BuildDeps, defineArea, pickDeps } from '../area.ts';
import type { PatientsService } from '../patients/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import { importsJobs } from './imports.jobs.ts';
import { importsService } from './imports.service.ts';
import { importsStoredFiles } from './stored-files.repo.ts';

export {
  type ColumnChoice,
  describeMapping,
  detectSource,
  type FieldSpec,
  type ImportKind,
  type ImportSource,
  importFields,
  importKinds,
  type Mapping,
  mappingFor,
  missingFields,
  recogniseColumns,
} from './columns.ts';
export { type CsvTable, readCsvTable, rejectedCsv, toCsvLine } from './csv-table.ts';
export { MAX_IMPORT_BYTES } from './imports.deps.ts';
export { PURGE_IMPORT_FILES, RUN_IMPORT } from './imports.jobs.ts';
export {
  type ImportInspection,
  type ImportsService,
  type ImportView,
  importView,
  type PreviewRow,
} from './imports.service.ts';
export { type DateFormat, dateFormats, isoDate, startInstant } from './rows.ts';
export { openRowImport, type RowOutcome, runImport } from './run-import.ts';

/**
 * Imports: CSV exports of another system (Cliniko, Jane, or the generic template) read and
 * mapped in one place for the CLI (`clinicbox import`) and the admin page; patients checked by
 * the patients area's rules, appointments booked through the scheduling area's booking insert.
 * The page's imports run as a durable job over a file stored encrypted, removed when done.
 */
export const importsArea = defineArea({
  name: 'imports',
  build(
    deps: BuildDeps<{
      patients: Pick<PatientsService, 'startImport'>;
      appointments: Pick<AppointmentsService, 'startImport'>;
    }>,
  ) {
    const importsDeps = {
      ...pickDeps(deps, ['db', 'clock', 'log', 'audit', 'queue', 'files', 'clinic']),
      ...pickDeps(deps, ['patients', 'appointments']),
    };
    const jobs = importsJobs(importsDeps);
    return {
      services: { imports: importsService(importsDeps) },
      jobs,
      storedFiles: [importsStoredFiles],
    };
  },
});
