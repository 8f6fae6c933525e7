import type { DbCtx } from '../../db/client.ts';
import { countPointingAt, reassignColumn } from '../../db/reassign.ts';
import { definePatientMergeStep } from '../patient-merge.ts';

/**
 * The chart's part of a patient merge: treatment notes (drafts and signed) and their addenda move
 * to the record kept. A signed note's hash was taken with the patient it was written for; reading
 * it checks the hash against that record too (read-note.ts asks which records were merged in), so
 * a moved note still reads as intact and a changed one still does not.
 */
export const chartMergeStep = definePatientMergeStep({
  area: 'chart',
  columns: ['notes.patient_id', 'note_addenda.patient_id'],
  async count(ctx: DbCtx, fromId: string) {
    const { notes: n, noteAddenda: a } = ctx.t;
    return {
      notes: await countPointingAt(ctx, n, n.patientId, fromId),
      addenda: await countPointingAt(ctx, a, a.patientId, fromId),
    };
  },
  async move(ctx: DbCtx, fromId: string, toId: string) {
    const { notes: n, noteAddenda: a } = ctx.t;
    return {
      notes: await reassignColumn(ctx, n, n.patientId, fromId, toId),
      addenda: await reassignColumn(ctx, a, a.patientId, fromId, toId),
    };
  },
});
