import { DateTime } from 'luxon';
import { forbidden, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { renderMessage } from '../../lib/messages.ts';
import {
  type AppointmentDeps,
  announceBooking,
  lockPractitioner,
  scheduleReminders,
} from './appointment-steps.ts';
import { appointmentView, type SeriesResult } from './appointment-view.ts';
import type { Appointment } from './appointments.repo.ts';
import { MAX_SERIES, type SeriesInput, seriesInput } from './appointments.schema.ts';
import { type Booker, checkMayActFor, isPatient, startInPast } from './booking-rules.ts';
import { checkBookable, placeBooking } from './place-booking.ts';

/**
 * Books a weekly series in one transaction: each occurrence at the same wall-clock time
 * (DST-correct), checked like a single booking; occurrences that clash are reported, the
 * others booked. Staff only.
 */
export async function bookSeries(
  deps: AppointmentDeps,
  booker: Booker,
  input: SeriesInput,
): Promise<SeriesResult> {
  if (isPatient(booker)) throw forbidden('series_booked_by_clinic');
  const data = validated(seriesInput, input);
  checkMayActFor(booker, data.practitionerId);
  const settings = await deps.clinic.get();
  const starts = occurrences(DateTime.fromISO(data.start, { zone: settings.timeZone }), data);
  const now = deps.clock.now().getTime();
  if (starts[0]!.getTime() <= now && !data.confirmPast) throw startInPast();
  const seriesId = newId();
  return deps.db.tx(async (ctx) => {
    await lockPractitioner(ctx, data.practitionerId);
    const service = await checkBookable(ctx, data);
    const created: Appointment[] = [];
    const conflicts: SeriesResult['conflicts'] = [];
    for (const start of starts) {
      const placed = await placeBooking(ctx, deps, {
        booker,
        patientId: data.patientId,
        practitionerId: data.practitionerId,
        service,
        start,
        roomId: data.roomId,
        reason: data.reason,
        status: 'booked',
        seriesId,
        inSeries: true,
      });
      if ('refused' in placed) {
        const roomTaken = placed.refused === 'room_taken';
        conflicts.push({
          start: start.toISOString(),
          code: placed.refused,
          message: roomTaken ? 'The room is taken at that time.' : renderMessage('already_booked', 'en'),
        });
        continue;
      }
      created.push(placed.row);
      await scheduleReminders(ctx, deps, placed.row);
    }
    // The message lists the series from its first appointment still ahead (none: entered afterwards).
    const first = created.find((a) => a.startAt.getTime() > now);
    if (first) {
      // Later areas' steps run once, for the first appointment (a service's forms: not one per week).
      await announceBooking(ctx, deps, first, 'booked', booker.actor, true);
    }
    return { seriesId, created: created.map(appointmentView), conflicts };
  });
}

/** The starts of a series: every `everyWeeks` weeks from `first`, `count` times or until a date (at most MAX_SERIES). */
function occurrences(
  first: DateTime,
  rule: { everyWeeks: number; count?: number | undefined; until?: string | undefined },
): Date[] {
  const starts: Date[] = [];
  for (let i = 0; i < MAX_SERIES; i++) {
    const at = first.plus({ weeks: i * rule.everyWeeks });
    if (rule.count !== undefined && i >= rule.count) break;
    if (rule.until !== undefined && at.toISODate()! > rule.until) break;
    starts.push(at.toJSDate());
  }
  return starts;
}
