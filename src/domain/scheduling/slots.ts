import { DateTime } from 'luxon';

/**
 * Slot search: which start times a service can be booked at, per practitioner, between two
 * local dates. A pure function of its inputs (the repo loads them), so it is tested table-driven.
 *
 * Working hours are wall-clock times in the clinic's IANA time zone and are turned into instants
 * with Luxon, day by day: on a daylight-saving change a 09:00–17:00 day is still 09:00–17:00 on
 * the wall clock (7 or 9 hours on the night shifts, never a shifted working day), and wall times
 * that do not exist (spring forward) move to the next valid instant. Candidate starts step through
 * each working interval in real time from its start.
 */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** "HH:MM" wall-clock times; `end` after `start` on the same day. */
export interface WallInterval {
  start: string;
  end: string;
}

export interface PractitionerAvailability {
  practitionerId: string;
  /** ISO weekday 1 (Monday) … 7 (Sunday) → working intervals (several a day for breaks). */
  weekly: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, WallInterval[]>>;
  /** Dated extra hours, added to the weekly ones on that date ("YYYY-MM-DD"). */
  extra?: { date: string; intervals: WallInterval[] }[];
  /** Time off (holidays, sick days, a blocked afternoon), as instants. */
  timeOff?: TimeRange[];
  /** What is already booked, each including its own buffers. */
  busy?: TimeRange[];
}

export interface SlotQuery {
  timeZone: string;
  /** Local dates, inclusive ("YYYY-MM-DD"). */
  from: string;
  to: string;
  durationMin: number;
  bufferBeforeMin?: number;
  bufferAfterMin?: number;
  /** Distance between candidate starts (default: 15 minutes). */
  stepMin?: number;
  now: Date;
  /** Earliest start: now + notice (default 0). */
  minNoticeMin?: number;
  /** Latest start: now + horizon (default: no limit). */
  horizonDays?: number;
  /** Whole clinic closed on these local dates. */
  closedDates?: string[];
  practitioners: PractitionerAvailability[];
}

export interface Slot {
  practitionerId: string;
  start: Date;
  end: Date;
}

const MINUTE = 60_000;

/**
 * The instants of one wall-clock interval on a local date; null when empty. Practitioners mostly
 * share their hours, so each wall time is resolved by Luxon once per search (`memo`).
 */
function wallToInstants(
  date: string,
  interval: WallInterval,
  zone: string,
  memo: Map<string, number>,
): TimeRange | null {
  const instant = (time: string) => {
    const key = `${date}T${time}`;
    let ms = memo.get(key);
    if (ms === undefined) {
      const dt = DateTime.fromISO(key, { zone });
      ms = dt.isValid ? dt.toMillis() : Number.NaN;
      memo.set(key, ms);
    }
    return ms;
  };
  const start = instant(interval.start);
  const end = instant(interval.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return null;
  return { start: new Date(start), end: new Date(end) };
}

export function findSlots(query: SlotQuery): Slot[] {
  const zone = query.timeZone;
  if (!DateTime.local().setZone(zone).isValid) throw new RangeError(`unknown time zone ${zone}`);
  const first = DateTime.fromISO(query.from, { zone }).startOf('day');
  const last = DateTime.fromISO(query.to, { zone }).startOf('day');
  if (!first.isValid || !last.isValid || last < first) return [];
  const duration = query.durationMin * MINUTE;
  const before = (query.bufferBeforeMin ?? 0) * MINUTE;
  const after = (query.bufferAfterMin ?? 0) * MINUTE;
  const step = (query.stepMin ?? 15) * MINUTE;
  const earliest = query.now.getTime() + (query.minNoticeMin ?? 0) * MINUTE;
  const latest =
    query.horizonDays === undefined
      ? Number.POSITIVE_INFINITY
      : query.now.getTime() + query.horizonDays * 86_400_000;
  const closed = new Set(query.closedDates ?? []);
  const memo = new Map<string, number>();
  const days: { date: string; weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7 }[] = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    days.push({ date: day.toISODate()!, weekday: day.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7 });
  }

  const slots: Slot[] = [];
  for (const p of query.practitioners) {
    const isBlocked = blockedTest([...(p.timeOff ?? []), ...(p.busy ?? [])]);
    for (const { date, weekday } of days) {
      if (closed.has(date)) continue;
      const wall = [
        ...(p.weekly[weekday] ?? []),
        ...(p.extra ?? []).filter((e) => e.date === date).flatMap((e) => e.intervals),
      ];
      const working = mergeRanges(
        wall.map((w) => wallToInstants(date, w, zone, memo)).filter((r): r is TimeRange => r !== null),
      );
      for (const range of working) {
        for (let t = range.start.getTime(); t + duration <= range.end.getTime(); t += step) {
          if (t < earliest || t > latest) continue;
          // The appointment itself must fit the working hours; its buffers must not hit anything booked.
          if (isBlocked(t - before, t + duration + after)) continue;
          slots.push({ practitionerId: p.practitionerId, start: new Date(t), end: new Date(t + duration) });
        }
      }
    }
  }
  return slots.sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.practitionerId.localeCompare(b.practitionerId),
  );
}

/**
 * Whether [start, end) (epoch ms) overlaps any of `ranges`: merged into sorted disjoint ranges
 * once, then a binary search per question (a week of 20 busy calendars asks thousands).
 */
function blockedTest(ranges: TimeRange[]): (start: number, end: number) => boolean {
  const merged = mergeRanges(ranges).map((r) => [r.start.getTime(), r.end.getTime()] as const);
  return (start, end) => {
    let lo = 0;
    let hi = merged.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (merged[mid]![1] <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo < merged.length && merged[lo]![0] < end;
  };
}

/** Merges overlapping or touching ranges (a weekly interval plus an extra one on the same day). */
function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const lastRange = out.at(-1);
    if (lastRange && r.start <= lastRange.end) {
      if (r.end > lastRange.end) lastRange.end = r.end;
    } else out.push({ start: r.start, end: r.end });
  }
  return out;
}
