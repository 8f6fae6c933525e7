import { columnsMergeStep } from '../patient-merge.ts';

/**
 * Scheduling's part of a patient merge: the appointments (past and upcoming, whatever their
 * status) and the waitlist entries of the merged record move to the record kept.
 */
export const schedulingMergeStep = columnsMergeStep('scheduling', {
  appointments: (t) => t.appointments.patientId,
  waitlistEntries: (t) => t.waitlistEntries.patientId,
});
