import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Bucket, ReportDay, ReportScope } from '../../db/report-sql.ts';
import { validationFailed } from '../../lib/errors.ts';

/** The date-range picker's presets; `custom` takes `from` and `to`. */
export const presets = ['this-month', 'last-month', 'this-quarter', 'this-year', 'custom'] as const;
export type Preset = (typeof presets)[number];

/** The longest range a report covers (two years and a day: a leap year's worth twice). */
export const MAX_RANGE_DAYS = 732;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD.')
  .refine((s) => DateTime.fromISO(s).isValid, 'Not a date of the calendar.');

/** A report's range as asked: a preset, or `from` and `to` (local dates, both included). */
export const rangeInput = z
  .object({
    preset: z.enum(presets).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();
export type RangeInput = z.infer<typeof rangeInput>;

/** A resolved range: its local dates (both included) and the preset it came from. */
export interface DateRange {
  preset: Preset;
  from: string;
  to: string;
}

/** The local dates of a preset, seen from `today` (a DateTime in the clinic's zone). */
export function presetRange(
  preset: Exclude<Preset, 'custom'>,
  today: DateTime,
): { from: string; to: string } {
  const span = (start: DateTime, unit: 'month' | 'quarter' | 'year') => ({
    from: start.startOf(unit).toISODate()!,
    to: start.endOf(unit).toISODate()!,
  });
  if (preset === 'last-month') return span(today.minus({ months: 1 }), 'month');
  if (preset === 'this-quarter') return span(today, 'quarter');
  if (preset === 'this-year') return span(today, 'year');
  return span(today, 'month');
}

/**
 * The range a request asks for: `from` and `to` when given (custom), else the preset's (this month
 * by default). Bad dates, `to` before `from`, or a range over MAX_RANGE_DAYS → 422 naming the field.
 */
export function resolveRange(input: unknown, today: DateTime): DateRange {
  const parsed = rangeInput.safeParse(input ?? {});
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'range', message: i.message })),
      'The report’s dates are not valid.',
    );
  }
  const { preset, from, to } = parsed.data;
  if (from === undefined && to === undefined && preset !== 'custom') {
    return { preset: preset ?? 'this-month', ...presetRange(preset ?? 'this-month', today) };
  }
  if (from === undefined || to === undefined) {
    const missing = from === undefined ? 'from' : 'to';
    throw validationFailed(
      [{ path: missing, message: 'Give both from and to (YYYY-MM-DD).' }],
      'The report’s dates are not valid.',
    );
  }
  const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days;
  if (days < 0)
    throw validationFailed(
      [{ path: 'to', message: 'The end is before the start.' }],
      'The report’s dates are not valid.',
    );
  if (days >= MAX_RANGE_DAYS) {
    throw validationFailed(
      [{ path: 'to', message: `A report covers at most ${MAX_RANGE_DAYS} days.` }],
      'The report’s dates are not valid.',
    );
  }
  return { preset: 'custom', from, to };
}

/**
 * The range as the report queries take it: UTC bounds from local midnight of `from` to local
 * midnight after `to`, its weeks (Monday to Sunday, cut to the range; keyed by their first day in
 * it) and its days — all in the clinic's zone, DST-correct (luxon).
 */
export function scopeOf(
  range: DateRange,
  zone: string,
  today: DateTime,
  practitionerId: string | null,
): ReportScope {
  const start = DateTime.fromISO(range.from, { zone }).startOf('day');
  const end = DateTime.fromISO(range.to, { zone }).plus({ days: 1 }).startOf('day');
  const daily: Bucket[] = [];
  const days: ReportDay[] = [];
  const weeks: Bucket[] = [];
  for (let d = start; d < end; d = d.plus({ days: 1 }).startOf('day')) {
    const next = d.plus({ days: 1 }).startOf('day');
    const key = d.toISODate()!;
    daily.push({ key, from: d.toJSDate(), to: next.toJSDate() });
    const noon = d.set({ hour: 12 });
    days.push({ date: key, weekday: d.weekday, base: new Date(noon.toMillis() - 12 * 3_600_000) });
    if (d.weekday === 1 || d.equals(start)) weeks.push({ key, from: d.toJSDate(), to: next.toJSDate() });
    else weeks[weeks.length - 1]!.to = next.toJSDate();
  }
  return {
    from: start.toJSDate(),
    to: end.toJSDate(),
    weeks,
    daily,
    days,
    today: today.toISODate()!,
    practitionerId,
  };
}
