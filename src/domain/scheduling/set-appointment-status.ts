import { DateTime } from 'luxon';
import { conflict } from '../../lib/errors.ts';
import type { StaffRole } from '../accounts/index.ts';
import {
  type AppointmentDeps,
  enqueueChange,
  loadForChange,
  runStatusListeners,
  scheduleReminders,
  unscheduleReminders,
} from './appointment-steps.ts';
import { type AppointmentView, appointmentView } from './appointment-view.ts';
import { type Appointment, updateAppointmentAtVersion } from './appointments.repo.ts';
import { type AppointmentStatus, transitions } from './appointments.schema.ts';
import { type Booker, changedMeanwhile, checkVersion, statusWords } from './booking-rules.ts';

/**
 * Staff lifecycle steps: approve a request, arrived, completed, no-show (and their undo), as
 * `transitions` allows, when the clock allows (`checkStatusTime`). The time on the timeline does
 * not change (a request already holds it), so no practitioner lock is needed: the version check
 * guards the row.
 */
export async function setAppointmentStatus(
  deps: AppointmentDeps,
  booker: Booker & { role: StaffRole },
  id: string,
  to: AppointmentStatus,
  version?: number,
): Promise<AppointmentView> {
  const { db, clock, audit, clinic } = deps;
  const { timeZone } = await clinic.get();
  return db.tx(async (ctx) => {
    const a = await loadForChange(ctx, booker, id, clock.now());
    checkVersion(a, version);
    if (!transitions[a.status].includes(to)) {
      throw conflict(
        `A ${statusWords(a.status)} appointment cannot become ${statusWords(to)}.`,
        'invalid_status',
      );
    }
    checkStatusTime(a, to, clock.now(), timeZone);
    const row = await updateAppointmentAtVersion(ctx, a.id, a.version, {
      status: to,
      version: a.version + 1,
      updatedAt: clock.now(),
    });
    if (!row) throw changedMeanwhile();
    await audit.record(ctx, booker.actor, {
      action: `appointment.${statusWords(to)}`,
      entity: 'appointment',
      entityId: a.id,
      patientId: a.patientId,
      details: { from: a.status },
    });
    if (to === 'completed' || to === 'no_show') await runStatusListeners(ctx, deps, row, booker.actor, to);
    if (a.status === 'requested' && to === 'booked')
      await enqueueChange(ctx, deps, row, 'approved', booker.actor);
    // Booked again (approved, or a no-show undone): reminders as for a new booking; otherwise none are due.
    await unscheduleReminders(ctx, deps, row);
    await scheduleReminders(ctx, deps, row);
    return appointmentView(row);
  });
}

/**
 * When the clock allows a status: arrived only on the appointment's day in the clinic's time zone
 * (not days ahead by a slip of the finger, nor days later: a visit missed then is completed or a
 * no-show), completed only once the appointment has started. 409 with a code of its own.
 */
function checkStatusTime(a: Appointment, to: AppointmentStatus, now: Date, timeZone: string): void {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).toISODate();
  if (to === 'arrived' && a.status === 'booked' && day(a.startAt) !== day(now)) {
    throw conflict(
      'A patient can be marked arrived only on the day of the appointment.',
      'not_appointment_day',
    );
  }
  if (to === 'completed' && now.getTime() < a.startAt.getTime()) {
    throw conflict('An appointment can be marked completed only once it has started.', 'not_started');
  }
}
