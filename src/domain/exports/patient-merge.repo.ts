import { columnsMergeStep } from '../patient-merge.ts';

/** The exports area's part of a patient merge: the merged record's exports move to the record kept. */
export const exportsMergeStep = columnsMergeStep('exports', {
  patientExports: (t) => t.patientExports.patientId,
});
