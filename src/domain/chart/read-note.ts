import type { Actor } from '../audit/index.ts';
import { listMergedRecordIds } from '../patients/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import type { NoteScope } from './chart.policy.ts';
import { listAddenda, type NoteRow } from './chart.repo.ts';
import { assertSeesNotesOf } from './note-access.ts';
import { noteHash } from './note-hash.ts';
import { type AddendumView, addendumView, type NoteView, noteView } from './note-view.ts';
import { openNote } from './open-note.ts';
import { readTemplate, type TemplateView } from './templates.ts';

/** A note as read: the note, its addenda (oldest first) and the template version it was written with. */
export interface NoteRead {
  note: NoteView;
  addenda: AddendumView[];
  template: TemplateView;
  /**
   * Whether a signed note still matches the hash taken when it was signed (null for a draft): a
   * row changed behind the app's back reads as false.
   */
  intact: boolean | null;
}

/** A clinical reader opens a note (`clinical.read`; the front desk is refused); audited, every time. */
export async function readNote(
  deps: ChartDeps,
  actor: Actor,
  id: string,
  scope?: NoteScope,
): Promise<NoteRead> {
  const { who, note: row } = await openNote(deps, actor, 'clinical.read', id, scope);
  await assertSeesNotesOf(deps, who, row.patientId);
  return readOpened(deps, actor, row);
}

/** A note the reader may open, with its addenda, template and integrity; the read audited. */
export async function readOpened(
  deps: ChartDeps,
  actor: Actor,
  row: NoteRow,
  extra: Record<string, string> = {},
): Promise<NoteRead> {
  const [addenda, template] = await Promise.all([
    listAddenda(deps.db.reader, row.id),
    readTemplate(deps, row.templateId, row.templateVersion),
  ]);
  await deps.audit.recordRead(actor, {
    action: 'note.read',
    entity: 'note',
    entityId: row.id,
    patientId: row.patientId,
    details: { status: row.status, addenda: addenda.length, ...extra },
  });
  const intact = row.signedAt && row.signedBy ? await signedIntact(deps, row) : null;
  return { note: noteView(row, template.name), addenda: addenda.map(addendumView), template, intact };
}

/**
 * Whether a signed note matches its hash: taken with the record it was written for, which is its
 * record now, or one merged into it since (a merge moves notes, never their hash).
 */
async function signedIntact(deps: ChartDeps, row: NoteRow): Promise<boolean> {
  const signed = { signedAt: row.signedAt!, signedBy: row.signedBy! };
  if (noteHash(row, signed) === row.contentHash) return true;
  const merged = await listMergedRecordIds(deps.db.reader, row.patientId);
  return merged.some((patientId) => noteHash({ ...row, patientId }, signed) === row.contentHash);
}
