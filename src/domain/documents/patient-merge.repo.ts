import { columnsMergeStep } from '../patient-merge.ts';

/**
 * The documents area's part of a patient merge: every document of the merged record (deleted ones
 * too, until purged) moves to the record kept. The stored object keeps its name (ids only; it may
 * carry the old record's id, which reads nothing): the row says whose it is.
 */
export const documentsMergeStep = columnsMergeStep('documents', {
  documents: (t) => t.documents.patientId,
});
