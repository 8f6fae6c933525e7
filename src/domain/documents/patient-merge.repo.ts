import type { DbCtx } from '../../db/client.ts';
import { countPointingAt, reassignColumn } from '../../db/reassign.ts';
import { definePatientMergeStep } from '../patient-merge.ts';

/**
 * The documents area's part of a patient merge: every document of the merged record (deleted ones
 * too, until purged) moves to the record kept. The stored object keeps its name (ids only; it may
 * carry the old record's id, which reads nothing): the row says whose it is.
 */
export const documentsMergeStep = definePatientMergeStep({
  area: 'documents',
  columns: ['documents.patient_id'],
  async count(ctx: DbCtx, fromId: string) {
    const d = ctx.t.documents;
    return { documents: await countPointingAt(ctx, d, d.patientId, fromId) };
  },
  async move(ctx: DbCtx, fromId: string, toId: string) {
    const d = ctx.t.documents;
    return { documents: await reassignColumn(ctx, d, d.patientId, fromId, toId) };
  },
});
