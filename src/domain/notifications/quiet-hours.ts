import { DateTime } from 'luxon';
import type { QuietHours } from '../clinic/index.ts';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When `now` falls in the quiet hours, the instant they end (DST-correct, by Luxon in the
 * clinic's zone); otherwise null.
 */
export function quietUntil(now: Date, timeZone: string, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const m = local.hour * 60 + local.minute;
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  const inside = s < e ? m >= s && m < e : m >= s || m < e;
  if (!inside) return null;
  let end = local.set({ hour: Math.floor(e / 60), minute: e % 60, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}
