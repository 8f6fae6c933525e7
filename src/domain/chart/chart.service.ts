import type { Actor } from '../audit/index.ts';
import { addAddendum } from './add-addendum.ts';
import { type AppointmentNote, noteOfAppointment } from './appointment-note.ts';
import type { ChartDeps } from './chart.deps.ts';
import type { NoteScope } from './chart.policy.ts';
import type { AddendumRow, NoteRow } from './chart.repo.ts';
import { type CopyForward, copyForward } from './copy-forward.ts';
import { createNote } from './create-note.ts';
import { listNotesOfPatient, listOwnNotes, notesToFinish, searchNotesOfPatient } from './list-notes.ts';
import type { NoteView } from './note-view.ts';
import { signedNotesForPatient } from './own-notes.ts';
import { type PreviousNotes, previousNotes } from './previous-note.ts';
import { type NoteRead, readNote } from './read-note.ts';
import { saveDraft } from './save-draft.ts';
import { signNote } from './sign-note.ts';
import {
  addTemplateVersion,
  createTemplate,
  getTemplate,
  listTemplates,
  type TemplateView,
} from './templates.ts';

/**
 * Templates (notes and forms) and treatment notes, for staff pages and the API. Every read and
 * change of a note is audited with ids and hashes only; each use case is a file of its own. A
 * `scope` ({patientId}) answers 404 for a note of another patient (the pages' chart URLs).
 */
export function notesService(deps: ChartDeps) {
  return {
    /** Start a draft on a chart ({templateId, appointmentId?, answers}); clinical.write. */
    create: (actor: Actor, patientId: string, input: unknown): Promise<NoteRow> =>
      createNote(deps, actor, patientId, input),
    /** Autosave ({version, answers}): author only; 409 version_conflict / note_signed. */
    save: (actor: Actor, id: string, input: unknown, scope?: NoteScope): Promise<NoteRow> =>
      saveDraft(deps, actor, id, input, scope),
    /** Sign ({} or {version}): author only; locked for ever, hashed, the hash audited. */
    sign: (actor: Actor, id: string, input?: unknown, scope?: NoteScope): Promise<NoteRow> =>
      signNote(deps, actor, id, input, scope),
    /** A signed addendum to a signed note ({text}); clinical.write. */
    addAddendum: (actor: Actor, id: string, input: unknown, scope?: NoteScope): Promise<AddendumRow> =>
      addAddendum(deps, actor, id, input, scope),
    /** A patient's (or dependant's) signed notes for their own export; audited as theirs. */
    signedForPatient: (actor: Actor, patientId: string): Promise<NoteRead[]> =>
      signedNotesForPatient(deps, actor, patientId),
    /** A note, its addenda and its template version (clinical.read; audited). */
    read: (actor: Actor, id: string, scope?: NoteScope): Promise<NoteRead> =>
      readNote(deps, actor, id, scope),
    /** A chart's notes (clinical.read), or only their count (the front desk). */
    listOfPatient: (actor: Actor, patientId: string) => listNotesOfPatient(deps, actor, patientId),
    /** The member's own notes ({status}). */
    listOwn: (actor: Actor, query?: unknown): Promise<NoteView[]> => listOwnNotes(deps, actor, query),
    /** The member's drafts begun before today. */
    toFinish: (actor: Actor): Promise<NoteView[]> => notesToFinish(deps, actor),
    /** Full-text search in a chart's notes (clinical.read; audited without the query). */
    search: (actor: Actor, patientId: string, query: string): Promise<NoteView[]> =>
      searchNotesOfPatient(deps, actor, patientId, query),
    /** An appointment's note, or the template a new one starts with ("Write note" / "Open note"). */
    ofAppointment: (actor: Actor, appointmentId: string): Promise<AppointmentNote> =>
      noteOfAppointment(deps, actor, appointmentId),
    /** The patient's last signed note beside a draft, and copy forward's source. */
    previous: (actor: Actor, id: string, scope?: NoteScope): Promise<PreviousNotes> =>
      previousNotes(deps, actor, id, scope),
    /** Fill the draft's empty fields from the last signed note of its template ({version}); audited. */
    copyForward: (actor: Actor, id: string, input: unknown, scope?: NoteScope): Promise<CopyForward> =>
      copyForward(deps, actor, id, input, scope),
  };
}

/** Note and form templates: read by every staff member, changed by admins (a new version each time). */
export function templatesService(deps: ChartDeps) {
  return {
    list: (actor: Actor, kind?: string): Promise<TemplateView[]> => listTemplates(deps, actor, kind),
    get: (actor: Actor, id: string, version?: number): Promise<TemplateView> =>
      getTemplate(deps, actor, id, version),
    create: (actor: Actor, input: unknown): Promise<TemplateView> => createTemplate(deps, actor, input),
    addVersion: (actor: Actor, id: string, input: unknown): Promise<TemplateView> =>
      addTemplateVersion(deps, actor, id, input),
  };
}

export type NotesService = ReturnType<typeof notesService>;
export type TemplatesService = ReturnType<typeof templatesService>;
