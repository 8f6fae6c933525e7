import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarDays } from './calendar-days.ts';

describe('calendarDays', () => {
  // Each Monday of 2026 and the 8 days from it, through both of each zone's clock changes.
  it.each([
    ['Europe/Paris', 'en-GB'],
    ['America/New_York', 'en-US'],
    ['Australia/Lord_Howe', 'fr'],
  ])('answers what luxon counts in %s (%s): date, weekday and heading', (zone, locale) => {
    const mismatches: string[] = [];
    for (let week = 0; week < 53; week++) {
      const first = DateTime.fromISO('2025-12-29', { zone }).plus({ weeks: week });
      const got = calendarDays(first.toISODate()!, 8, locale);
      got.forEach((day, i) => {
        const want = first.plus({ days: i });
        const label = want.setLocale(locale).toFormat('ccc d LLL');
        if (day.date !== want.toISODate() || day.weekday !== want.weekday || day.label !== label)
          mismatches.push(`${first.toISODate()}+${i}: ${JSON.stringify(day)} ≠ ${want.toISODate()} ${label}`);
      });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('names the days of the 2026-10-26 week in the locale asked', () => {
    expect(calendarDays('2026-10-24', 3, 'en-GB').map((d) => [d.date, d.weekday, d.label])).toEqual([
      ['2026-10-24', 6, 'Sat 24 Oct'],
      ['2026-10-25', 7, 'Sun 25 Oct'],
      ['2026-10-26', 1, 'Mon 26 Oct'],
    ]);
  });
});
