import { createHash } from 'node:crypto';
import type { AddendumRow, NoteRow } from './chart.repo.ts';

/**
 * The fingerprints that make a signed note and its addenda tamper-evident: SHA-256 (hex) of a
 * canonical JSON (keys sorted at every level, no spaces) of what was signed. Stored on the row and
 * written into the audit row of the signing, so a changed note no longer matches either.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash of a note as signed: its ids, template version, answers, author, signer and times. */
export function noteHash(
  note: Pick<
    NoteRow,
    | 'id'
    | 'patientId'
    | 'templateId'
    | 'templateVersion'
    | 'appointmentId'
    | 'authorId'
    | 'answers'
    | 'createdAt'
  >,
  signed: { signedAt: Date; signedBy: string },
): string {
  return sha256(
    canonicalJson({
      id: note.id,
      patientId: note.patientId,
      templateId: note.templateId,
      templateVersion: note.templateVersion,
      appointmentId: note.appointmentId,
      authorId: note.authorId,
      answers: JSON.parse(note.answers),
      createdAt: note.createdAt,
      signedAt: signed.signedAt,
      signedBy: signed.signedBy,
    }),
  );
}

/** The hash of an addendum: its text, author and time, chained to the note's own hash. */
export function addendumHash(
  addendum: Pick<AddendumRow, 'id' | 'noteId' | 'authorId' | 'text' | 'createdAt'>,
  noteContentHash: string,
): string {
  return sha256(canonicalJson({ ...addendum, noteHash: noteContentHash }));
}
