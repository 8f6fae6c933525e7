import type { Answers } from './answers.ts';
import type { AddendumRow, NoteRow } from './chart.repo.ts';
import type { NoteStatus } from './chart.schema.ts';

/** A note as the API and the pages show it (answers parsed; the hash once signed). */
export interface NoteView {
  id: string;
  patientId: string;
  templateId: string;
  templateVersion: number;
  /** The template version's name, when the read joined it. */
  templateName?: string;
  appointmentId: string | null;
  authorId: string;
  status: NoteStatus;
  /** Send it back with an autosave; a stale one is refused (409 version_conflict). */
  version: number;
  answers: Answers;
  createdAt: Date;
  updatedAt: Date;
  signedAt: Date | null;
  signedBy: string | null;
  contentHash: string | null;
}

export function noteView(row: NoteRow, templateName?: string): NoteView {
  return {
    id: row.id,
    patientId: row.patientId,
    templateId: row.templateId,
    templateVersion: row.templateVersion,
    ...(templateName === undefined ? {} : { templateName }),
    appointmentId: row.appointmentId,
    authorId: row.authorId,
    status: row.status as NoteStatus,
    version: row.version,
    answers: JSON.parse(row.answers) as Answers,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    signedAt: row.signedAt,
    signedBy: row.signedBy,
    contentHash: row.contentHash,
  };
}

/** An addendum as shown: signed by its author when written, with its own hash. */
export interface AddendumView {
  id: string;
  noteId: string;
  authorId: string;
  text: string;
  createdAt: Date;
  contentHash: string;
}

export const addendumView = (row: AddendumRow): AddendumView => ({
  id: row.id,
  noteId: row.noteId,
  authorId: row.authorId,
  text: row.text,
  createdAt: row.createdAt,
  contentHash: row.contentHash,
});
