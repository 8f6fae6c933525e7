import { columnsMergeStep } from '../patient-merge.ts';

/**
 * The chart's part of a patient merge: treatment notes (drafts and signed) and their addenda move
 * to the record kept. A signed note's hash was taken with the patient it was written for; reading
 * it checks the hash against that record too (read-note.ts asks which records were merged in), so
 * a moved note still reads as intact and a changed one still does not.
 */
export const chartMergeStep = columnsMergeStep('chart', {
  notes: (t) => t.notes.patientId,
  addenda: (t) => t.noteAddenda.patientId,
});
