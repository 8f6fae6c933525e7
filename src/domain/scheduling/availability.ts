import { and, asc, eq, gt, gte, inArray, lt, lte, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { DbCtx } from '../../db/client.ts';
import type { PractitionerAvailability, WallInterval } from './slots.ts';

/**
 * Loads what slot search needs from the tables: weekly hours, dated extra hours, time off,
 * closures and the time already taken, for some practitioners over some local dates. Takes a
 * `DbCtx` so the booking transaction re-reads it under its lock.
 */

/** No appointment blocks longer than this (8 h service + 4 h buffers each side, rounded up). */
export const MAX_BLOCK_MS = 24 * 3_600_000;

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

export async function loadAvailability(q: DbCtx, input: AvailabilityInput): Promise<LoadedAvailability> {
  const ids = input.practitionerIds;
  if (ids.length === 0) return { practitioners: [], closedDates: [] };
  const { t } = q;
  const { start, end } = instantRange(input.timeZone, input.from, input.to);
  const [rules, extras, away, taken, closures] = await Promise.all([
    q.db
      .select()
      .from(t.availabilityRules)
      .where(inArray(t.availabilityRules.practitionerId, ids))
      .orderBy(asc(t.availabilityRules.startTime)),
    q.db
      .select()
      .from(t.availabilityExceptions)
      .where(
        and(
          inArray(t.availabilityExceptions.practitionerId, ids),
          gte(t.availabilityExceptions.date, input.from),
          lte(t.availabilityExceptions.date, input.to),
        ),
      ),
    q.db
      .select()
      .from(t.timeOff)
      .where(
        and(inArray(t.timeOff.practitionerId, ids), lt(t.timeOff.startAt, end), gt(t.timeOff.endAt, start)),
      ),
    q.db
      .select({
        id: t.appointments.id,
        practitionerId: t.appointments.practitionerId,
        start: t.appointments.blockStartAt,
        end: t.appointments.blockEndAt,
      })
      .from(t.appointments)
      .where(
        and(
          inArray(t.appointments.practitionerId, ids),
          // Bounded on both sides so the (practitioner, block_start) index reads only this range.
          gt(t.appointments.blockStartAt, new Date(start.getTime() - MAX_BLOCK_MS)),
          lt(t.appointments.blockStartAt, end),
          gt(t.appointments.blockEndAt, start),
          ne(t.appointments.status, 'cancelled'),
          input.ignoreAppointmentId ? ne(t.appointments.id, input.ignoreAppointmentId) : undefined,
        ),
      ),
    q.db
      .select({ date: t.clinicClosures.date })
      .from(t.clinicClosures)
      .where(and(gte(t.clinicClosures.date, input.from), lte(t.clinicClosures.date, input.to))),
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
  return { practitioners, closedDates: closures.map((c) => c.date) };
}

/** Whether `[start, end)` overlaps any non-cancelled appointment of the practitioner (buffers included). */
export async function overlapsBooked(
  q: DbCtx,
  practitionerId: string,
  block: { start: Date; end: Date },
  ignoreAppointmentId?: string,
): Promise<boolean> {
  const a = q.t.appointments;
  const rows = await q.db
    .select({ id: a.id })
    .from(a)
    .where(
      and(
        eq(a.practitionerId, practitionerId),
        gt(a.blockStartAt, new Date(block.start.getTime() - MAX_BLOCK_MS)),
        lt(a.blockStartAt, block.end),
        gt(a.blockEndAt, block.start),
        ne(a.status, 'cancelled'),
        ignoreAppointmentId ? ne(a.id, ignoreAppointmentId) : undefined,
      ),
    )
    .limit(1);
  return rows.length > 0;
}
