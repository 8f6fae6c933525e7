import { forbidden } from '../../lib/errors.ts';
import type { ChartDeps } from './chart.deps.ts';
import type { StaffActor } from './chart.policy.ts';
import { hasAuthoredNoteOf } from './chart.repo.ts';

/**
 * The clinic setting "practitioners see only the notes of patients they have seen": with it on, a
 * practitioner reads, lists, searches, starts and adds to notes only of patients they have had an
 * appointment with (cancelled ones aside) or have written a note for. Admins and everyone with
 * the setting off are not limited; the front desk never reads notes anyway. Checked in the
 * domain, so every page and API route keeps it.
 */
export async function seesNotesOf(deps: ChartDeps, who: StaffActor, patientId: string): Promise<boolean> {
  if (who.role !== 'practitioner') return true;
  const { notesOfSeenPatientsOnly } = await deps.clinic.get();
  if (!notesOfSeenPatientsOnly) return true;
  const [appointment, wrote] = await Promise.all([
    deps.appointments.hasSeen(who.actor.id, patientId),
    hasAuthoredNoteOf(deps.db.reader, who.actor.id, patientId),
  ]);
  return appointment || wrote;
}

/** 403 unless the member may read this patient's notes (see `seesNotesOf`). */
export async function assertSeesNotesOf(deps: ChartDeps, who: StaffActor, patientId: string): Promise<void> {
  if (await seesNotesOf(deps, who, patientId)) return;
  throw forbidden(
    'This clinic shows practitioners the notes only of patients they have seen (an appointment with them, or a note they wrote).',
  );
}
