import type { DbCtx } from '../../db/client.ts';
import { countPointingAt, reassignColumn } from '../../db/reassign.ts';
import { definePatientMergeStep } from '../patient-merge.ts';

/**
 * The forms area's part of a patient merge: the forms sent to the merged record (filled or not,
 * submitted, reviewed) move to the record kept. Their PDFs are documents: the documents area
 * moves those. The column `submitted_by` (who submitted: the patient or a guardian) stays as
 * written, like an audit row.
 */
export const formsMergeStep = definePatientMergeStep({
  area: 'forms',
  columns: ['patient_forms.patient_id'],
  async count(ctx: DbCtx, fromId: string) {
    const f = ctx.t.patientForms;
    return { forms: await countPointingAt(ctx, f, f.patientId, fromId) };
  },
  async move(ctx: DbCtx, fromId: string, toId: string) {
    const f = ctx.t.patientForms;
    return { forms: await reassignColumn(ctx, f, f.patientId, fromId, toId) };
  },
});
