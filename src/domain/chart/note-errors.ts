import { AppError, conflict } from '../../lib/errors.ts';

/** 409 `note_signed`: a signed note never changes (corrections are addenda). */
export const noteSigned = () =>
  conflict('This note is signed and can no longer change: add an addendum instead.', 'note_signed');

/** 409 `note_not_signed`: addenda are for signed notes (a draft is simply edited). */
export const noteNotSigned = () =>
  conflict('Only a signed note takes addenda: edit the draft instead.', 'note_not_signed');

/**
 * 409 `version_conflict`: the note was saved meanwhile (another tab, another device); nothing was
 * changed. It carries the note's current version, which the API answers beside the code.
 */
export class NoteVersionConflict extends AppError {
  constructor(readonly currentVersion: number) {
    super(
      'version_conflict',
      {
        text: `This note was saved elsewhere meanwhile (now version ${currentVersion}). Reload it, then save again.`,
      },
      { status: 409 },
    );
  }
}
