import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import { staffWho } from './chart.policy.ts';
import { findAppointmentNote } from './chart.repo.ts';
import { assertSeesNotesOf } from './note-access.ts';
import { type NoteView, noteView } from './note-view.ts';
import { readTemplate } from './templates.ts';

/** An appointment's note, or what a new one would start with. */
export interface AppointmentNote {
  patientId: string;
  /** The note written for the appointment (the newest, if several): open it rather than start another. */
  note: NoteView | null;
  /** The appointment's service's default note template, while it is a note template. */
  defaultTemplateId: string | null;
}

/**
 * The note of an appointment, for "Write note" / "Open note" in the calendar's panel (clinical
 * readers): the note already written for it, else the template its service starts notes with.
 * Finding a note is audited as a read of it (its id only).
 */
export async function noteOfAppointment(
  deps: ChartDeps,
  actor: Actor,
  appointmentId: string,
): Promise<AppointmentNote> {
  const who = await staffWho(deps, actor, 'clinical.read');
  const found = await deps.appointments.forNotification(appointmentId);
  if (!found) throw notFound('The appointment');
  const patientId = found.appointment.patientId;
  await assertSeesNotesOf(deps, who, patientId);
  const row = await findAppointmentNote(deps.db.reader, appointmentId);
  if (row) {
    await deps.audit.recordRead(actor, {
      action: 'note.of-appointment',
      entity: 'note',
      entityId: row.id,
      patientId,
      details: { appointmentId },
    });
    return { patientId, note: noteView(row), defaultTemplateId: null };
  }
  await deps.ready();
  const templateId = found.service.defaultNoteTemplateId;
  const template = templateId ? await readTemplate(deps, templateId).catch(() => null) : null;
  return { patientId, note: null, defaultTemplateId: template?.kind === 'note' ? template.id : null };
}
