import type { DbCtx } from '../../db/client.ts';
import { countPointingAt, reassignColumn } from '../../db/reassign.ts';
import { definePatientMergeStep } from '../patient-merge.ts';

/**
 * Scheduling's part of a patient merge: the appointments (past and upcoming, whatever their
 * status) and the waitlist entries of the merged record move to the record kept.
 */
export const schedulingMergeStep = definePatientMergeStep({
  area: 'scheduling',
  columns: ['appointments.patient_id', 'waitlist_entries.patient_id'],
  async count(ctx: DbCtx, fromId: string) {
    const { appointments: a, waitlistEntries: w } = ctx.t;
    return {
      appointments: await countPointingAt(ctx, a, a.patientId, fromId),
      waitlistEntries: await countPointingAt(ctx, w, w.patientId, fromId),
    };
  },
  async move(ctx: DbCtx, fromId: string, toId: string) {
    const { appointments: a, waitlistEntries: w } = ctx.t;
    return {
      appointments: await reassignColumn(ctx, a, a.patientId, fromId, toId),
      waitlistEntries: await reassignColumn(ctx, w, w.patientId, fromId, toId),
    };
  },
});
