import { DateTime } from 'luxon';
import type { ImportRowInput } from '../patients/index.ts';
import type { AppointmentImportRow } from '../scheduling/index.ts';
import { cellsOf, type Mapping } from './columns.ts';

/**
 * A row's cells turned into what the patients' and the scheduling area's import checks take:
 * dates read in the chosen order, times in the clinic's zone, sex as the record keeps it.
 */

export type DateOrder = 'ymd' | 'dmy' | 'mdy';
export type DateFormat = 'auto' | DateOrder;
export const dateFormats: readonly DateFormat[] = ['auto', 'ymd', 'dmy', 'mdy'];

/** auto = by the clinic locale: mdy for en-US, dmy otherwise. */
export const dateOrderFor = (format: DateFormat, locale: string): DateOrder =>
  format === 'auto' ? (locale === 'en-US' ? 'mdy' : 'dmy') : format;

/** A date as Y/M/D numbers (ISO always; 12/03/1980, with dots or dashes too, in `order`), or null. */
function dateParts(typed: string, order: DateOrder): { year: number; month: number; day: number } | null {
  const t = typed.trim();
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (ymd) return { year: +ymd[1]!, month: +ymd[2]!, day: +ymd[3]! };
  const other = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
  if (!other || order === 'ymd') return null;
  const [a, b] = [+other[1]!, +other[2]!];
  const [day, month] = order === 'dmy' ? [a, b] : [b, a];
  return { year: +other[3]!, month, day };
}

/**
 * A date of birth as YYYY-MM-DD: ISO dates (1980-03-12, also 1980/03/12) always; 12/03/1980 (or
 * with dots or dashes) in `order`; anything else as typed, for the patients area to refuse.
 */
export function isoDate(typed: string, order: DateOrder): string {
  const parts = dateParts(typed.replace(/[T ]\d{1,2}:\d{2}.*$/, ''), order);
  const d = parts ? DateTime.fromObject(parts, { zone: 'UTC' }) : undefined;
  return d?.isValid ? d.toISODate()! : typed;
}

/** A time of day: 09:30, 9:30:00, 9:30 AM, 2:15pm, 1430. */
function timeParts(typed: string): { hour: number; minute: number; second: number } | null {
  const m = /^(\d{1,2})(?::?(\d{2}))(?::(\d{2}))?\s*([ap]\.?m\.?)?$/i.exec(typed.trim());
  if (!m) return null;
  let hour = +m[1]!;
  const ampm = m[4]?.[0]?.toLowerCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'p' ? 12 : 0);
  }
  return { hour, minute: +m[2]!, second: +(m[3] ?? 0) };
}

/**
 * A start as an instant: an ISO date-time with an offset as it says, else the date (in `order`)
 * and the time of day in the clinic's zone. A wall time that does not exist there (the hour
 * skipped when clocks go forward) or anything unreadable: null.
 */
export function startInstant(date: string, time: string, order: DateOrder, zone: string): Date | null {
  const both = time ? `${date} ${time}` : date;
  if (/[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(both.trim())) {
    const d = DateTime.fromISO(both.trim().replace(' ', 'T'), { setZone: true });
    return d.isValid ? d.toJSDate() : null;
  }
  const m = /^(\S+)(?:[T ]+(.+))?$/.exec(both.trim());
  const day = m ? dateParts(m[1]!, order) : null;
  const clock = m?.[2] ? timeParts(m[2]) : null;
  if (!day || !clock) return null;
  const d = DateTime.fromObject({ ...day, ...clock }, { zone });
  // luxon moves a skipped wall time forward: such a time was not the one typed.
  if (!d.isValid || d.hour !== clock.hour || d.minute !== clock.minute) return null;
  return d.toJSDate();
}

/** Sex as the record keeps it: M/Male → male, F/Female → female, X/Other/Non-binary → other; else as typed. */
export function sexOf(typed: string): string {
  const t = typed.trim().toLowerCase();
  if (t === '') return '';
  if (t === 'm' || t === 'male') return 'male';
  if (t === 'f' || t === 'female') return 'female';
  if (['x', 'o', 'other', 'nonbinary', 'non-binary', 'intersex'].includes(t)) return 'other';
  if (['u', 'unknown', 'prefer not to say', 'not specified', 'unspecified'].includes(t)) return 'unknown';
  return typed;
}

/** A patients file's row as the patients area checks it. */
export function patientRow(cells: readonly string[], mapping: Mapping, order: DateOrder): ImportRowInput {
  const { first, all } = cellsOf(cells, mapping);
  return {
    firstName: first('firstName'),
    lastName: first('lastName'),
    dateOfBirth: isoDate(first('dateOfBirth'), order),
    email: first('email'),
    phone: first('phone'),
    address: all('address').join('\n'),
    sex: sexOf(first('sex')),
  };
}

/** An appointments file's row as the scheduling area checks it. */
export function appointmentRow(
  cells: readonly string[],
  mapping: Mapping,
  order: DateOrder,
  zone: string,
): AppointmentImportRow {
  const { first } = cellsOf(cells, mapping);
  const [date, time] = first('start') ? [first('start'), ''] : [first('date'), first('time')];
  return {
    email: first('email'),
    firstName: first('firstName'),
    lastName: first('lastName'),
    dateOfBirth: isoDate(first('dateOfBirth'), order),
    practitioner: first('practitioner'),
    service: first('service'),
    start: date ? startInstant(date, time, order, zone) : null,
    startTyped: [date, time].filter(Boolean).join(' '),
    reason: first('reason'),
  };
}
