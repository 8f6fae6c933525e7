import type { QuietHours } from '../clinic/index.ts';

/**
 * A patient's SMS quiet hours as their column keeps them: null = the clinic's, 'off' = none,
 * 'HH:MM-HH:MM' = their own. Read and written here, beside the table that has the column.
 */

/** The quiet hours a patient's column means, given the clinic's. */
export function quietHoursOf(column: string | null, clinicDefault: QuietHours | null): QuietHours | null {
  if (column === null) return clinicDefault;
  if (column === 'off') return null;
  const [start, end] = column.split('-');
  return start && end ? { start, end } : clinicDefault;
}

/** The column's value for a choice (null: none). */
export const quietHoursColumn = (q: QuietHours | null): string => (q ? `${q.start}-${q.end}` : 'off');
