import { DateTime } from 'luxon';
import { notFound, validated } from '../../lib/errors.ts';
import { can } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById } from '../patients/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import { staffWho } from './chart.policy.ts';
import { countPatientNotes, listAuthorNotes, listPatientNotes, searchPatientNotes } from './chart.repo.ts';
import { ownNotesQuery } from './chart.schema.ts';
import { assertSeesNotesOf, seesNotesOf } from './note-access.ts';
import { indexMissingNotes } from './note-index.ts';
import { type NoteView, noteView } from './note-view.ts';
import { searchTerms } from './search-text.ts';

/**
 * A chart's notes as the member may know them: clinical readers get the notes (newest first, with
 * their template's name); anyone else with `patients.read` (the front desk, or a practitioner who
 * has not seen the patient when the clinic limits notes to those — note-access.ts) gets only how
 * many there are (`notes` null) — the chart says "3 notes". Audited as one read either way.
 */
export async function listNotesOfPatient(
  deps: ChartDeps,
  actor: Actor,
  patientId: string,
): Promise<{ count: number; notes: NoteView[] | null }> {
  const who = await staffWho(deps, actor, 'patients.read');
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  if (!can(who.role, 'clinical.read') || !(await seesNotesOf(deps, who, patientId))) {
    const count = await countPatientNotes(deps.db.reader, patientId);
    await deps.audit.recordRead(actor, {
      action: 'note.count',
      entity: 'note',
      patientId,
      details: { count },
    });
    return { count, notes: null };
  }
  const rows = await listPatientNotes(deps.db.reader, patientId);
  const notes = await deps.audit.recordListRead(
    actor,
    { action: 'note.list', entity: 'note', patientId },
    rows,
  );
  return { count: notes.length, notes: notes.map((r) => noteView(r.note, r.templateName)) };
}

/**
 * The signed-in member's own notes (`?status=draft`), oldest first; with `toFinish`, only drafts
 * begun before today at the clinic — "notes to finish" on Today and in the Inbox. Audited.
 */
export async function listOwnNotes(deps: ChartDeps, actor: Actor, query: unknown = {}): Promise<NoteView[]> {
  const who = await staffWho(deps, actor, 'clinical.read');
  const { status } = validated(ownNotesQuery, query);
  const rows = await listAuthorNotes(deps.db.reader, who.actor.id, status);
  const listed = await deps.audit.recordListRead(
    actor,
    { action: 'note.list-own', entity: 'note', details: { status: status ?? null } },
    rows,
  );
  return listed.map((r) => noteView(r.note, r.templateName));
}

/** Drafts the member began before today (the clinic's day), oldest first: what is left to finish. */
export async function notesToFinish(deps: ChartDeps, actor: Actor): Promise<NoteView[]> {
  const who = await staffWho(deps, actor, 'clinical.read');
  const { timeZone } = await deps.clinic.get();
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: timeZone }).startOf('day').toJSDate();
  const rows = await listAuthorNotes(deps.db.reader, who.actor.id, 'draft', today);
  const listed = await deps.audit.recordListRead(
    actor,
    { action: 'note.list-to-finish', entity: 'note' },
    rows,
  );
  return listed.map((r) => noteView(r.note, r.templateName));
}

/**
 * Full-text search within one patient's notes (clinical readers only: the front desk is refused,
 * 403): the notes holding every word of the query as a word's beginning, accents and case aside,
 * in their answers or addenda; newest first, at most 200. Audited as "searched notes" with how
 * many words and results — never the query, which may itself be health data.
 */
export async function searchNotesOfPatient(
  deps: ChartDeps,
  actor: Actor,
  patientId: string,
  query: string,
): Promise<NoteView[]> {
  const who = await staffWho(deps, actor, 'clinical.read');
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  await assertSeesNotesOf(deps, who, patientId);
  const terms = searchTerms(query);
  await indexMissingNotes(deps);
  const rows = terms.length ? await searchPatientNotes(deps.db.reader, patientId, terms) : [];
  const listed = await deps.audit.recordListRead(
    actor,
    { action: 'note.search', entity: 'note', patientId, details: { words: terms.length } },
    rows,
  );
  return listed.map((r) => noteView(r.note, r.templateName));
}
