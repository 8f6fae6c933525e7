import { z } from 'zod';
import { conflict } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { type Answers, isAnswered, mergeAnswers } from './answers.ts';
import type { ChartDeps } from './chart.deps.ts';
import type { NoteScope } from './chart.policy.ts';
import { findLastSigned, type NoteRow } from './chart.repo.ts';
import type { TemplateField } from './chart.schema.ts';
import { NoteVersionConflict } from './note-errors.ts';
import { openOwnDraft } from './open-note.ts';
import { writeDraft } from './save-draft.ts';

export const copyForwardInput = z.strictObject({
  version: z.int({ error: 'The version of the note you changed.' }).min(1),
});

/** What copying forward did: the draft as saved, how many fields it filled, from which note. */
export interface CopyForward {
  note: NoteRow;
  copied: number;
  fromNoteId: string;
}

/** Fields never copied: a heading has no answer, a signature is the signer's own each time. */
const copyable = (f: TemplateField) => f.type !== 'heading' && f.type !== 'signature';

/**
 * The previous note's answers for the draft's empty fields: each copyable field left empty in the
 * draft and answered in `from`, when the answer still suits the field (a template version that
 * changed a field's type or choices keeps the draft's field empty).
 */
export function answersToCopy(fields: readonly TemplateField[], draft: Answers, from: Answers): Answers {
  const fill: Answers = {};
  for (const f of fields.filter(copyable)) {
    if (isAnswered(draft[f.id]) || !isAnswered(from[f.id])) continue;
    try {
      Object.assign(fill, mergeAnswers(fields, {}, { [f.id]: from[f.id] }));
    } catch {
      // No longer a valid answer to this field: left empty.
    }
  }
  return fill;
}

/**
 * "Copy forward": the author fills their draft's empty fields from the patient's last signed note
 * of the same template (any version), through the autosave's write — only if the draft is still
 * at `version` (else 409 version_conflict, nothing changed). Audited as `note.copy-forward` with
 * the source note's id and how many fields were filled; 409 nothing_to_copy without such a note.
 */
export async function copyForward(
  deps: ChartDeps,
  actor: Actor,
  id: string,
  input: unknown,
  scope?: NoteScope,
): Promise<CopyForward> {
  const { note, data, fields } = await openOwnDraft(deps, actor, id, copyForwardInput, input, scope);
  if (note.version !== data.version) throw new NoteVersionConflict(note.version);
  const source = await findLastSigned(deps.db.reader, note.patientId, note.id, note.templateId);
  if (!source)
    throw conflict(
      'There is no signed note of this template for this patient to copy from.',
      'nothing_to_copy',
    );
  const draft = JSON.parse(note.answers) as Answers;
  const fill = answersToCopy(fields, draft, JSON.parse(source.note.answers) as Answers);
  const copied = Object.keys(fill).length;
  const saved = await writeDraft(
    deps,
    actor,
    { note, version: data.version, answers: { ...draft, ...fill }, fields },
    'note.copy-forward',
    { fromNoteId: source.note.id, copied },
  );
  return { note: saved, copied, fromNoteId: source.note.id };
}
