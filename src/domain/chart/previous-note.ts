import type { Actor } from '../audit/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import type { NoteScope } from './chart.policy.ts';
import { findLastSigned } from './chart.repo.ts';
import { openNote } from './open-note.ts';
import { type NoteRead, readNote } from './read-note.ts';

/** What sits beside a note being written: the patient's last signed note, and what copy forward would use. */
export interface PreviousNotes {
  /** The patient's last signed note (any template), read (audited) to show beside the draft. */
  shown: NoteRead | null;
  /** The last signed note of the draft's template, copy forward's source (its id and when it was signed). */
  copyFrom: { id: string; signedAt: Date; templateName: string } | null;
}

/**
 * The previous notes of a note's patient (clinical readers; the same limits as reading a note):
 * the last signed one other than this one, read in full and audited as a read, and the last
 * signed one of the same template, named only.
 */
export async function previousNotes(
  deps: ChartDeps,
  actor: Actor,
  id: string,
  scope?: NoteScope,
): Promise<PreviousNotes> {
  const { note } = await openNote(deps, actor, 'clinical.read', id, scope);
  const [last, sameTemplate] = await Promise.all([
    findLastSigned(deps.db.reader, note.patientId, note.id),
    findLastSigned(deps.db.reader, note.patientId, note.id, note.templateId),
  ]);
  const shown = last ? await readNote(deps, actor, last.note.id, { patientId: note.patientId }) : null;
  const copyFrom = sameTemplate?.note.signedAt
    ? {
        id: sameTemplate.note.id,
        signedAt: sameTemplate.note.signedAt,
        templateName: sameTemplate.templateName,
      }
    : null;
  return { shown, copyFrom };
}
