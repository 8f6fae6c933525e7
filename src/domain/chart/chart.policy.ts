import { forbidden, notFound } from '../../lib/errors.ts';
import { type ActingStaff, staffChecks } from '../accounts/index.ts';
import type { NoteRow } from './chart.repo.ts';

/**
 * Who may do what with notes and templates. Notes are clinical: reading needs `clinical.read`
 * (practitioners, admins), writing `clinical.write` (practitioners). The front desk, with
 * `patients.read` only, learns how many notes a chart has — never a note, its template or its
 * author. A draft is changed and signed by its author only; an addendum is written by anyone with
 * `clinical.write`. Templates are read by every staff member and changed with `settings.manage`.
 * The route's policy checked the first permission already; this checks again with the role read
 * from the database, so a use case called from anywhere keeps the rule.
 */
export type StaffActor = ActingStaff;

/**
 * Refuses unless the member's role has a permission (`assertCan`), or reads the acting member and
 * refuses unless theirs has it (`staffWho`, a use case's first step); a clinical one is refused in
 * these words.
 */
export const { assertCan, staffWho } = staffChecks(
  'Notes need a clinical role. Ask an administrator if you need it.',
);

/** Refuses unless the member wrote this draft (others may read it, never change or sign it). */
export function assertAuthor(who: StaffActor, note: NoteRow): void {
  if (note.authorId !== who.actor.id) throw forbidden('Only the note’s author may change or sign a draft.');
}

/** Where a note is asked for under a chart (`/patients/{id}/notes/{noteId}`): another patient's is "not found". */
export interface NoteScope {
  patientId?: string | undefined;
}

/** The note, if it is there and of the scope's patient; else 404. */
export function noteInScope(note: NoteRow | null, scope: NoteScope = {}): NoteRow {
  if (!note || (scope.patientId !== undefined && note.patientId !== scope.patientId))
    throw notFound('The note');
  return note;
}
