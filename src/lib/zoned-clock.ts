import { DateTime } from 'luxon';

const QUARTER_HOUR = 15 * 60_000;

/** An instant's calendar date (`YYYY-MM-DD`) and clock time (`HH:mm`) in a time zone. */
export interface LocalTime {
  date: string;
  time: string;
}

/**
 * The local date and time of many instants in one zone, for pages that draw hundreds of them (the
 * calendar's day of 20 practitioners): luxon's `fromJSDate(…, { zone })` asks Intl for the offset
 * of every instant, most of the page's time. The offset is asked once per quarter hour and kept:
 * every offset change in the tz database falls on a quarter hour (local 02:00, 00:00, Nepal's
 * 18:15 UTC), so one quarter hour never holds two offsets. One reader per request; not shared.
 */
export function zonedClock(zone: string): (instant: Date) => LocalTime {
  const offsets = new Map<number, number>();
  return (instant) => {
    const ms = instant.getTime();
    const quarter = Math.floor(ms / QUARTER_HOUR);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = DateTime.fromMillis(quarter * QUARTER_HOUR, { zone }).offset;
      offsets.set(quarter, offset);
    }
    const local = new Date(ms + offset * 60_000).toISOString();
    return { date: local.slice(0, 10), time: local.slice(11, 16) };
  };
}
