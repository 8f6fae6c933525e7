import type { AccountsService } from '../accounts/index.ts';
import { type BuildDeps, defineArea, pickDeps } from '../area.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import { storedFilesRegistry } from '../stored-files.ts';
import { documentsJobs } from './documents.jobs.ts';
import { documentsMessages } from './documents.messages.ts';
import { documentsService } from './documents.service.ts';
import { documentsEraseStep } from './patient-erase.repo.ts';
import { documentsMergeStep } from './patient-merge.repo.ts';
import { documentsStoredFiles } from './stored-files.repo.ts';

export { DELETED_BY_PATIENT } from './delete-own-document.ts';
export { type DocumentView, documentView } from './document-view.ts';
export { ORPHAN_AGE_MS, PURGE_DELETED_DOCUMENTS, SWEEP_ORPHAN_FILES } from './documents.jobs.ts';
export { documentSharedMessage, fileDamagedMessage } from './documents.messages.ts';
export { categoriesFor } from './documents.policy.ts';
export type { DocumentRow } from './documents.repo.ts';
export {
  categoryLabels,
  clinicalCategories,
  type DocumentCategory,
  type DocumentChanges,
  deleteInput,
  documentCategories,
  documentChanges,
  type ListFilters,
  listFilters,
  ownUploadFields,
  type UploadFields,
  uploadFields,
} from './documents.schema.ts';
export { type DocumentsService, documentsService } from './documents.service.ts';
export type { DocumentToReview, StoredDocumentFile } from './list-documents.ts';
export {
  etagOf,
  type OpenedDocument,
  type OpenOptions,
  RangeNotSatisfiable,
  type RangeRequest,
} from './read-document.ts';
export { allowedTypes, cleanFileName } from './sniff-type.ts';
export { MAX_WAITING_UPLOADS, type UploadInput } from './upload-document.ts';

/**
 * Documents: files on patients' charts (referrals, results, letters, consents, ID and insurance
 * papers), kept encrypted in the file vault; shared with the patient app, uploaded by patients for
 * staff to review; soft-deleted and purged after the retention period; orphan files swept.
 */
export const documentsArea = defineArea({
  name: 'documents',
  build(
    deps: BuildDeps<{
      notifications: { notifier: Notifier };
      staff: { accounts: Pick<AccountsService, 'list'> };
      appointments: Pick<AppointmentsService, 'forNotification'>;
    }>,
  ) {
    const { config } = deps;
    const documentsDeps = {
      ...pickDeps(deps, ['db', 'clock', 'log', 'audit', 'files', 'clinic', 'appointments']),
      notify: deps.notifications.notifier,
      accounts: deps.staff.accounts,
      maxBytes: config.maxUploadMb * 1024 * 1024,
      retentionDays: config.documentRetentionDays,
    };
    // Every area's stored objects (their `storedFiles` parts, added by areas.ts): for the sweep
    // here, and for keys rotate, storage migrate and verify.
    const storedFiles = storedFilesRegistry();
    const jobs = documentsJobs(documentsDeps, storedFiles);
    return {
      services: { documents: documentsService(documentsDeps), storedFiles },
      jobs,
      messages: [documentsMessages({ db: deps.db, baseUrl: deps.publicUrl })],
      patientMerge: [documentsMergeStep],
      patientErase: [documentsEraseStep],
      storedFiles: [documentsStoredFiles],
    };
  },
});
