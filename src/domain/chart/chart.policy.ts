import type { Db } from '../../db/client.ts';
import { forbidden, notFound, unauthorized } from '../../lib/errors.ts';
import { can, findStaffMemberById, type Permission, type StaffRole } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
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
export interface StaffActor {
  actor: Actor & { id: string };
  role: StaffRole;
}

/** The acting staff member and their role; patients, the system and inactive staff are refused. */
export async function staffActor(db: Db, actor: Actor): Promise<StaffActor> {
  if (actor.type !== 'staff' || !actor.id) throw unauthorized();
  const member = await findStaffMemberById(db.reader, actor.id);
  if (member?.status !== 'active') throw unauthorized();
  return { actor: actor as Actor & { id: string }, role: member.role };
}

/** Refuses unless the member's role has `permission`. */
export function assertCan(who: StaffActor, permission: Permission): void {
  if (can(who.role, permission)) return;
  throw forbidden(
    permission.startsWith('clinical.')
      ? 'Notes need a clinical role. Ask an administrator if you need it.'
      : 'Your role does not allow this. Ask an administrator if you need it.',
  );
}

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
