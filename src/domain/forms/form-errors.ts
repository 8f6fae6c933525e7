import { AppError, conflict } from '../../lib/errors.ts';

/** 409 `form_submitted`: a submitted form never changes (the clinic has it, and its PDF). */
export const formSubmitted = () => conflict({ key: 'form_already_submitted' }, 'form_submitted');

/**
 * 409 `version_conflict`: the form was saved meanwhile (another device); nothing was changed. It
 * carries the form's current version, which the API answers beside the code.
 */
export class FormVersionConflict extends AppError {
  constructor(readonly currentVersion: number) {
    super(
      'version_conflict',
      { key: 'form_changed_elsewhere', params: { version: currentVersion } },
      { status: 409 },
    );
  }
}
