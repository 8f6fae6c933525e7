import { type AppError, isAppError } from '../../lib/errors.ts';

/** An expected refusal of a staff form, as the page shows it again. */
export interface Refusal {
  error: AppError;
  /** The field messages, joined; the error's own message when it names no field. */
  message: string;
  /** The first field's message, else the error's message. */
  first: string;
  /** One message per form field (`reminderHours.0` → `reminderHours`). */
  fields: Record<string, string>;
  status: number;
}

/** The refusals a form shows again by default: invalid input. */
export const invalidInput = (e: AppError) => e.code === 'validation_failed';

/**
 * Staff form handling (validate → re-render with the error, or write → redirect): runs `write`,
 * and when it is refused as `shows` says (invalid input by default), answers `rerender` with what
 * went wrong instead — so the form comes back with what was typed. Any other error propagates
 * to the one error handler.
 */
export async function orRerender<T>(
  write: () => Promise<T>,
  rerender: (refusal: Refusal) => T | Promise<T>,
  shows: (e: AppError) => boolean = invalidInput,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!isAppError(e) || !shows(e)) throw e;
    return rerender(refusalOf(e));
  }
}

function refusalOf(error: AppError): Refusal {
  const issues = error.issues ?? [];
  return {
    error,
    message: issues.map((i) => i.message).join(' ') || error.message,
    first: issues[0]?.message ?? error.message,
    fields: Object.fromEntries(
      issues.map((i) => [i.path.replace(/\.\d+$/, '').replace(/\..*$/, ''), i.message]),
    ),
    status: error.status,
  };
}
