import type { PdfSection } from './answers-pdf.ts';
import type { NoteRead } from './read-note.ts';

/** How a PDF names people and times: staff names by id, times in the clinic's zone. */
export interface PdfWords {
  nameOf(staffId: string | null): string;
  local(at: Date): string;
}

/**
 * A note as a section of a PDF: its template and version, who signed it and when with its
 * SHA-256 (and a warning when the note no longer matches it), or that it is an unsigned draft;
 * then the answers, then each addendum with its author and time.
 */
export function noteSection(read: NoteRead, words: PdfWords): PdfSection {
  const { note, template } = read;
  const lines =
    note.status === 'signed' && note.signedAt
      ? [
          `Signed ${words.local(note.signedAt)} by ${words.nameOf(note.signedBy)}`,
          `SHA-256 ${note.contentHash ?? ''}${read.intact === false ? ' - DOES NOT MATCH: changed after signing' : ''}`,
        ]
      : [`Draft, not signed - last saved ${words.local(note.updatedAt)} by ${words.nameOf(note.authorId)}`];
  return {
    title: `${template.name} (version ${template.version}) - ${words.local(note.createdAt)}`,
    lines,
    fields: template.fields,
    answers: note.answers,
    after: read.addenda.map((a) => ({
      heading: `Addendum, ${words.local(a.createdAt)}, signed by ${words.nameOf(a.authorId)}`,
      text: a.text,
    })),
  };
}
