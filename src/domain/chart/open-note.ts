import { validated } from '../../lib/errors.ts';
import { actingStaff, type Permission } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import { assertAuthor, assertCan, type NoteScope, noteInScope, type StaffActor } from './chart.policy.ts';
import { findNote, type NoteRow } from './chart.repo.ts';
import type { TemplateField } from './chart.schema.ts';
import { noteSigned } from './note-errors.ts';
import { versionFieldsOf } from './templates.ts';

/**
 * The acting staff member, if their role has `permission`, and the note they ask for (in the
 * scope's chart): 401, 403 or 404 otherwise, in that order. Read outside any transaction.
 */
export async function openNote(
  deps: ChartDeps,
  actor: Actor,
  permission: Permission,
  id: string,
  scope?: NoteScope,
): Promise<{ who: StaffActor; note: NoteRow }> {
  // Both reads at once (one round trip's wait, not two); the answers still come in that order.
  const [who, note] = await Promise.all([actingStaff(deps.db.reader, actor), findNote(deps.db.reader, id)]);
  assertCan(who, permission);
  return { who, note: noteInScope(note, scope) };
}

/** A change of a draft by its author (a save, a signing), answering the note as changed. */
export type DraftChange = (
  deps: ChartDeps,
  actor: Actor,
  id: string,
  input: unknown,
  scope?: NoteScope,
) => Promise<NoteRow>;

/** A draft its author is about to change or sign: the note, the validated input, its version's fields. */
export interface OwnDraft<T> {
  who: StaffActor;
  note: NoteRow;
  data: T;
  fields: TemplateField[];
}

/**
 * Opens a draft for its author (`clinical.write`): a signed note answers 409 note_signed, a bad
 * input 422, another author 403; then the fields of the template version the note was written with.
 */
export async function openOwnDraft<T>(
  deps: ChartDeps,
  actor: Actor,
  id: string,
  schema: Parameters<typeof validated<T>>[0],
  input: unknown,
  scope?: NoteScope,
): Promise<OwnDraft<T>> {
  const { who, note } = await openNote(deps, actor, 'clinical.write', id, scope);
  if (note.status === 'signed') throw noteSigned();
  const data = validated(schema, input);
  assertAuthor(who, note);
  const fields = await versionFieldsOf(deps, note.templateId, note.templateVersion);
  return { who, note, data, fields };
}
