import { DateTime } from 'luxon';

/** A time as staff read it: in the clinic's time zone (Luxon, DST-correct), to the second; '—' for none. */
export const clinicTime = (d: Date | null, timeZone: string): string =>
  d ? DateTime.fromJSDate(d, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss') : '—';
