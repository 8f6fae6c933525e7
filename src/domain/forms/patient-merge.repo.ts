import { columnsMergeStep } from '../patient-merge.ts';

/**
 * The forms area's part of a patient merge: the forms sent to the merged record (filled or not,
 * submitted, reviewed) move to the record kept. Their PDFs are documents: the documents area
 * moves those. The column `submitted_by` (who submitted: the patient or a guardian) stays as
 * written, like an audit row.
 */
export const formsMergeStep = columnsMergeStep('forms', {
  forms: (t) => t.patientForms.patientId,
});
