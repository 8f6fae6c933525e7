import { validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { ChartDeps } from './chart.deps.ts';
import { type NoteScope, noteInScope, staffWho } from './chart.policy.ts';
import { type AddendumRow, findNote, insertAddendum } from './chart.repo.ts';
import { addendumInput } from './chart.schema.ts';
import { assertSeesNotesOf } from './note-access.ts';
import { noteNotSigned } from './note-errors.ts';
import { addendumHash } from './note-hash.ts';
import { indexNote } from './note-index.ts';
import { versionFieldsOf } from './templates.ts';

/**
 * A correction or addition to a signed note, by anyone with `clinical.write`: signed as it is
 * written (its author, its time, its own hash chained to the note's); the note itself is untouched.
 * Audited with the addendum's id and hash, never its text.
 */
export async function addAddendum(
  deps: ChartDeps,
  actor: Actor,
  noteId: string,
  input: unknown,
  scope?: NoteScope,
): Promise<AddendumRow> {
  const who = await staffWho(deps, actor, 'clinical.write');
  const { text } = validated(addendumInput, input);
  // Read before the transaction (a one-connection database cannot read beside it).
  const found = noteInScope(await findNote(deps.db.reader, noteId), scope);
  await assertSeesNotesOf(deps, who, found.patientId);
  const fields = await versionFieldsOf(deps, found.templateId, found.templateVersion);
  return deps.db.tx(async (ctx) => {
    const note = noteInScope(await findNote(ctx, noteId), scope);
    if (note.status !== 'signed' || !note.contentHash) throw noteNotSigned();
    const base = { id: newId(), noteId, authorId: who.actor.id, text, createdAt: deps.clock.now() };
    const contentHash = addendumHash(base, note.contentHash);
    const row = await insertAddendum(ctx, { ...base, patientId: note.patientId, contentHash });
    await indexNote(ctx, note, fields);
    await recordChange(deps.audit, ctx, actor, 'note.addendum', note, {
      addendumId: row.id,
      hash: contentHash,
    });
    return row;
  });
}
