import { DateTime } from 'luxon';
import type { Weekday } from '../../domain/scheduling/index.ts';

/** A day the calendar shows: its local date, its weekday (1 Monday … 7 Sunday) and its heading. */
export interface CalendarDay {
  date: string;
  weekday: Weekday;
  /** `ccc d LLL` in the clinic's locale ("Mon 7 Dec"). */
  label: string;
}

const DAY_MS = 86_400_000;
/** Headings kept, by locale and date, before they are made anew. */
const KEPT_LABELS = 5_000;
const labels = new Map<string, string>();

/** A date's heading: luxon's `ccc d LLL`, kept (Intl's formatting was a tenth of the week page). */
function labelOf(date: string, locale: string): string {
  const key = `${locale} ${date}`;
  let label = labels.get(key);
  if (label === undefined) {
    label = DateTime.fromISO(date, { zone: 'utc' }).setLocale(locale).toFormat('ccc d LLL');
    if (labels.size >= KEPT_LABELS) labels.clear();
    labels.set(key, label);
  }
  return label;
}

/**
 * `count` days from the local date `first` (`YYYY-MM-DD`). A calendar date's successor, weekday
 * and heading are the same in every zone, so they are counted on UTC dates (no offsets asked:
 * luxon asked Intl for the zone's offset at each `plus`).
 */
export function calendarDays(first: string, count: number, locale: string): CalendarDay[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(start + i * DAY_MS);
    const date = day.toISOString().slice(0, 10);
    return { date, weekday: (((day.getUTCDay() + 6) % 7) + 1) as Weekday, label: labelOf(date, locale) };
  });
}
