import { DateTime } from 'luxon';

const QUARTER_HOUR = 15 * 60_000;

/** An instant's calendar date (`YYYY-MM-DD`) and clock time (`HH:mm`) in a time zone. */
export interface LocalTime {
  date: string;
  time: string;
}

const DAY_MS = 86_400_000;
/** `HH:mm` for each minute of a day. */
const TIMES = Array.from(
  { length: 24 * 60 },
  (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
);
/** Dates (`YYYY-MM-DD`) by days since the epoch, shared by every zone (a date is the same string). */
const dates = new Map<number, string>();

/** Quarter hours kept per zone before its offsets are dropped and asked anew (about a year). */
const KEPT_QUARTERS = 40_000;

/** Offsets (minutes east of UTC) by quarter hour since the epoch, per zone: the tz data never changes while a process runs. */
const offsetsByZone = new Map<string, Map<number, number>>();

/**
 * The local date and time of many instants in one zone, for pages that draw hundreds of them (the
 * calendar's day of 20 practitioners, a practitioner's week): luxon's `fromJSDate(…, { zone })`
 * asks Intl for the offset of every instant, most of the page's time. The offset is asked once per
 * quarter hour and kept for every later reader of the zone (the process's tz data does not change
 * while it runs; a zone keeps at most KEPT_QUARTERS): every offset change in the tz database falls
 * on a quarter hour (local 02:00, 00:00, Nepal's 18:15 UTC), so one quarter hour never holds two
 * offsets.
 */
export function zonedClock(zone: string): (instant: Date) => LocalTime {
  let offsets = offsetsByZone.get(zone);
  if (!offsets) {
    offsets = new Map();
    offsetsByZone.set(zone, offsets);
  }
  const kept = offsets;
  return (instant) => {
    const ms = instant.getTime();
    const quarter = Math.floor(ms / QUARTER_HOUR);
    let offset = kept.get(quarter);
    if (offset === undefined) {
      offset = DateTime.fromMillis(quarter * QUARTER_HOUR, { zone }).offset;
      if (kept.size >= KEPT_QUARTERS) kept.clear();
      kept.set(quarter, offset);
    }
    // Local wall-clock milliseconds: the date is its day's (kept, one toISOString a day), the time
    // its minute of that day.
    const local = ms + offset * 60_000;
    const day = Math.floor(local / DAY_MS);
    let date = dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      if (dates.size >= KEPT_QUARTERS) dates.clear();
      dates.set(day, date);
    }
    const minute = Math.floor((local - day * DAY_MS) / 60_000);
    return { date, time: TIMES[minute]! };
  };
}
