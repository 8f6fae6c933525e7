import { recordChange } from '../record-change.ts';
import { mergeAnswers } from './answers.ts';
import { findNote, updateDraft } from './chart.repo.ts';
import { saveDraftInput } from './chart.schema.ts';
import { NoteVersionConflict, noteSigned } from './note-errors.ts';
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
  return deps.db.tx(async (ctx) => {
    const saved = await updateDraft(ctx, id, data.version, {
      answers: JSON.stringify(answers),
      updatedAt: deps.clock.now(),
    });
    if (!saved) {
      const current = (await findNote(ctx, id))!;
      throw current.status === 'signed' ? noteSigned() : new NoteVersionConflict(current.version);
    }
    await recordChange(deps.audit, ctx, actor, 'note.save', saved, { version: saved.version });
    return saved;
  });
};
