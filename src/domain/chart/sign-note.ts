import { validationFailed } from '../../lib/errors.ts';
import { recordChange } from '../record-change.ts';
import { missingRequired } from './answers.ts';
import { findNote, findNoteLocked, updateDraft } from './chart.repo.ts';
import { signInput } from './chart.schema.ts';
import { NoteVersionConflict, noteSigned } from './note-errors.ts';
import { noteHash } from './note-hash.ts';
import { type DraftChange, openOwnDraft } from './open-note.ts';

/**
 * The author signs their draft: every required field must be answered (422 naming them); the
 * note is locked for ever, with who signed, when, and the SHA-256 of its canonical content — kept
 * on the note and written into the audit row of the signing. With `version`, only if the note is
 * still the one the author saw (409 version_conflict).
 */
export const signNote: DraftChange = async (deps, actor, id, input, scope) => {
  const { who, data, fields } = await openOwnDraft(deps, actor, id, signInput, input ?? {}, scope);
  return deps.db.tx(async (ctx) => {
    // Locked: a save racing the signature either lands before it (and is signed) or after (409).
    const note = (await findNoteLocked(ctx, id))!;
    if (note.status === 'signed') throw noteSigned();
    if (data.version !== undefined && data.version !== note.version)
      throw new NoteVersionConflict(note.version);
    const missing = missingRequired(fields, JSON.parse(note.answers));
    if (missing.length) throw validationFailed(missing, 'Answer the required fields before signing.');
    const signed = { signedAt: deps.clock.now(), signedBy: who.actor.id };
    const contentHash = noteHash(note, signed);
    const row = await updateDraft(ctx, id, note.version, {
      ...signed,
      contentHash,
      status: 'signed',
      updatedAt: signed.signedAt,
    });
    if (!row) throw new NoteVersionConflict((await findNote(ctx, id))!.version);
    await recordChange(deps.audit, ctx, actor, 'note.sign', row, {
      hash: contentHash,
      templateId: row.templateId,
      templateVersion: row.templateVersion,
    });
    return row;
  });
};
