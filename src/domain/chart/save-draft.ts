import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import { type Answers, mergeAnswers } from './answers.ts';
import type { ChartDeps } from './chart.deps.ts';
import { findNote, type NoteRow, updateDraft } from './chart.repo.ts';
import { saveDraftInput, type TemplateField } from './chart.schema.ts';
import { NoteVersionConflict, noteSigned } from './note-errors.ts';
import { indexNote } from './note-index.ts';
import { type DraftChange, openOwnDraft } from './open-note.ts';

/**
 * Autosave of a draft by its author: the changed answers merged over the saved ones, only if the
 * note is still at the version the client read — else 409 version_conflict with the current
 * version and nothing changed, so two tabs never overwrite each other. The write is one
 * conditional update, so of two saves of one version exactly one passes, on both databases.
 * A signed note answers 409 note_signed. Audited with the new version only.
 */
export const saveDraft: DraftChange = async (deps, actor, id, input, scope) => {
  const { note, data, fields } = await openOwnDraft(deps, actor, id, saveDraftInput, input, scope);
  if (note.version !== data.version) throw new NoteVersionConflict(note.version);
  const answers = mergeAnswers(fields, JSON.parse(note.answers), data.answers);
  return writeDraft(deps, actor, { note, version: data.version, answers, fields }, 'note.save');
};

/**
 * Writes a draft's answers if it is still at `version` (else 409, nothing changed), with its
 * full-text index, audited as `action` with the new version and `details` (never the answers).
 * Saving and copying forward both write through here.
 */
export function writeDraft(
  deps: ChartDeps,
  actor: Actor,
  draft: { note: NoteRow; version: number; answers: Answers; fields: readonly TemplateField[] },
  action: `note.${string}`,
  details: Record<string, string | number> = {},
): Promise<NoteRow> {
  const { note, version, answers, fields } = draft;
  const changes = { answers: JSON.stringify(answers), updatedAt: deps.clock.now() };
  // What the update writes, if the note is still the draft at `version`: the index and the audit
  // row are written from it at the same time (one round trip on PostgreSQL, whose driver pipelines
  // them), and undone with everything else when the update matched nothing.
  const expected: NoteRow = { ...note, ...changes, status: 'draft', version: version + 1 };
  return deps.db.tx(async (ctx) => {
    const [saved] = await Promise.all([
      updateDraft(ctx, note.id, version, changes),
      indexNote(ctx, expected, fields),
      recordChange(deps.audit, ctx, actor, action, expected, { version: expected.version, ...details }),
    ]);
    if (!saved) {
      const current = (await findNote(ctx, note.id))!;
      throw current.status === 'signed' ? noteSigned() : new NoteVersionConflict(current.version);
    }
    // A merge moved the note (it keeps its version) since it was read: index and audit row name
    // the old chart, so undo all; the client reads the note again and saves at the same version.
    if (saved.patientId !== expected.patientId) throw new NoteVersionConflict(version);
    return saved;
  });
}
