import { z } from 'zod';
import type { WallInterval } from './slots.ts';

export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof weekdays)[number];

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * One day's hours as staff type them: "09:00-12:00, 13:00-17:30" (empty = not working).
 * Returns the intervals, or an error message naming what is wrong.
 */
export function parseDayHours(text: string): WallInterval[] | string {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const intervals: WallInterval[] = [];
  for (const part of parts) {
    const [start, end, extra] = part.split(/\s*[-–]\s*/);
    if (!start || !end || extra !== undefined || !TIME.test(start) || !TIME.test(end)) {
      return `“${part}” is not a time range like 09:00-12:30.`;
    }
    if (end <= start) return `“${part}” ends before it starts.`;
    intervals.push({ start, end });
  }
  intervals.sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i]!.start < intervals[i - 1]!.end) return 'Two ranges on the same day overlap.';
  }
  return intervals;
}

export const practitionerProfileInput = z.object({
  displayName: z.string().trim().min(1, 'Enter the name patients see.').max(120),
  title: z.string().trim().max(120),
  bio: z.string().trim().max(2000),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Choose a colour like #3366cc.'),
  bookableOnline: z.boolean(),
  serviceIds: z.array(z.string()).max(200),
  /** Weekday → "09:00-12:00, 13:00-17:00". */
  hours: z.record(z.string(), z.string().max(200)),
});
export type PractitionerProfileInput = z.input<typeof practitionerProfileInput>;
