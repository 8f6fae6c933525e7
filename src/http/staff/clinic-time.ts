import { DateTime } from 'luxon';

/** How staff pages write a day. */
const DAY = 'd LLL yyyy';

/** A time as staff read it: in the clinic's time zone (Luxon, DST-correct), to the second; '—' for none. */
export const clinicTime = (d: Date | null, timeZone: string): string =>
  d ? DateTime.fromJSDate(d, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss') : '—';

/** A date and time as a chart or the Inbox shows it (3 Mar 2026, 14:05), in the clinic's time zone; '' for none. */
export const clinicDateTime = (d: Date | null, timeZone: string): string =>
  d ? DateTime.fromJSDate(d, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm') : '';

/** A day as a chart or a list shows it (3 Mar 2026), in the clinic's time zone. */
export const clinicDate = (d: Date, timeZone: string): string =>
  DateTime.fromJSDate(d, { zone: timeZone }).toFormat(DAY);

/**
 * A date of birth as staff pages write it (7 Jan 1991, like the chart's other dates): a date
 * kept as ISO, which has no time zone; '' for none.
 */
export const birthDate = (iso: string | null | undefined): string =>
  iso ? DateTime.fromISO(iso).toFormat(DAY) : '';
