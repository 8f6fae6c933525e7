import { DateTime } from 'luxon';
import type { DbCtx } from '../../db/client.ts';
import { listBusyBlocks } from './appointments.repo.ts';
import {
  listAvailabilityRules,
  listClosedDates,
  listExtraHoursBetween,
  listTimeOffOverlapping,
} from './availability.repo.ts';
import type { PractitionerAvailability, WallInterval } from './slots.ts';

/**
 * Loads what slot search needs from the repos: weekly hours, dated extra hours, time off,
 * closures and the time already taken, for some practitioners over some local dates. Takes a
 * `DbCtx` so the booking transaction re-reads it under its lock.
 */

export interface AvailabilityInput {
  practitionerIds: string[];
  timeZone: string;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  /** An appointment being moved does not block its own new time. */
  ignoreAppointmentId?: string;
}

export interface LoadedAvailability {
  practitioners: PractitionerAvailability[];
  closedDates: string[];
}

/** The UTC instants that cover local dates `from`…`to` in `zone`, with a day of margin. */
export function instantRange(zone: string, from: string, to: string): { start: Date; end: Date } {
  return {
    start: DateTime.fromISO(from, { zone }).startOf('day').minus({ days: 1 }).toJSDate(),
    end: DateTime.fromISO(to, { zone }).endOf('day').plus({ days: 1 }).toJSDate(),
  };
}

/** The availability of `input.practitionerIds` over the local dates, in slot search's shape. */
export async function loadAvailability(q: DbCtx, input: AvailabilityInput): Promise<LoadedAvailability> {
  const ids = input.practitionerIds;
  if (ids.length === 0) return { practitioners: [], closedDates: [] };
  const range = instantRange(input.timeZone, input.from, input.to);
  const [rules, extras, away, taken, closedDates] = await Promise.all([
    listAvailabilityRules(q, ids),
    listExtraHoursBetween(q, ids, input.from, input.to),
    listTimeOffOverlapping(q, ids, range),
    listBusyBlocks(q, ids, range, input.ignoreAppointmentId),
    listClosedDates(q, input.from, input.to),
  ]);
  const practitioners = ids.map((id): PractitionerAvailability => {
    const weekly: PractitionerAvailability['weekly'] = {};
    for (const r of rules) {
      if (r.practitionerId !== id) continue;
      const day = r.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7;
      weekly[day] = [...(weekly[day] ?? []), { start: r.startTime, end: r.endTime }];
    }
    const extra = new Map<string, WallInterval[]>();
    for (const e of extras) {
      if (e.practitionerId !== id) continue;
      extra.set(e.date, [...(extra.get(e.date) ?? []), { start: e.startTime, end: e.endTime }]);
    }
    return {
      practitionerId: id,
      weekly,
      extra: [...extra].map(([date, intervals]) => ({ date, intervals })),
      timeOff: away.filter((a) => a.practitionerId === id).map((a) => ({ start: a.startAt, end: a.endAt })),
      busy: taken.filter((a) => a.practitionerId === id).map((a) => ({ start: a.start, end: a.end })),
    };
  });
  return { practitioners, closedDates };
}
