import { notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import { appointmentOfPatient } from '../scheduling/index.ts';
import { mergeAnswers } from './answers.ts';
import type { ChartDeps } from './chart.deps.ts';
import { staffWho } from './chart.policy.ts';
import { insertNote, type NoteRow } from './chart.repo.ts';
import { newNoteInput } from './chart.schema.ts';
import { assertSeesNotesOf } from './note-access.ts';
import { indexNote } from './note-index.ts';
import { templateOfKind, writtenIn } from './templates.ts';

/**
 * A practitioner starts a note on a patient's chart: a draft of the template's latest version (a
 * note template), optionally of one of this patient's appointments, with first answers (checked
 * field by field). Audited with ids only.
 */
export async function createNote(
  deps: ChartDeps,
  actor: Actor,
  patientId: string,
  input: unknown,
): Promise<NoteRow> {
  const who = await staffWho(deps, actor, 'clinical.write');
  const data = validated(newNoteInput, input);
  await deps.ready();
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  await assertSeesNotesOf(deps, who, patientId);
  const template = await templateOfKind(deps, data.templateId, 'note');
  if (data.appointmentId) await appointmentOfPatient(deps.appointments, data.appointmentId, patientId);
  const answers = mergeAnswers(template.fields, {}, data.answers ?? {});
  return deps.db.tx(async (ctx) => {
    const now = deps.clock.now();
    const note = await insertNote(ctx, {
      id: newId(),
      patientId,
      ...writtenIn(template),
      appointmentId: data.appointmentId ?? null,
      authorId: who.actor.id,
      status: 'draft',
      answers: JSON.stringify(answers),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await indexNote(ctx, note, template.fields);
    await recordChange(deps.audit, ctx, actor, 'note.create', note, writtenIn(template));
    return note;
  });
}
