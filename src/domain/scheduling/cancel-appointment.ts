import { validated } from '../../lib/errors.ts';
import { recordChange } from '../record-change.ts';
import {
  type AppointmentDeps,
  enqueueChange,
  enqueueFreedTime,
  loadForChange,
  runStatusListeners,
  unscheduleReminders,
} from './appointment-steps.ts';
import { type AppointmentView, appointmentView } from './appointment-view.ts';
import { type Appointment, listOpenInSeriesAfter, updateAppointmentAtVersion } from './appointments.repo.ts';
import { type CancelInput, cancelInput } from './appointments.schema.ts';
import {
  type Booker,
  type ChangeRefusals,
  changedMeanwhile,
  checkChangeable,
  isBeforeWindow,
  isPatient,
} from './booking-rules.ts';

const cancelRefusals: ChangeRefusals = { notOpen: 'appointment_not_cancellable', tooLate: 'cancel_too_late' };

/**
 * Cancels an appointment (with scope `following`, the later open ones of its series too). A
 * patient's own cancellation must come before the window; a late one by staff for the patient is
 * flagged. The freed time goes to the waitlist; the reminders are cancelled. Cancelling takes
 * nothing onto a timeline, so it needs no practitioner lock: the version check guards the row.
 */
export async function cancelAppointment(
  deps: AppointmentDeps,
  booker: Booker,
  id: string,
  input: CancelInput,
): Promise<AppointmentView> {
  const { db, clock, audit, clinic } = deps;
  const data = validated(cancelInput, input);
  const settings = await clinic.get();
  return db.tx(async (ctx) => {
    const a = await loadForChange(ctx, booker, id, clock.now());
    checkChangeable(a, booker, { version: data.version, settings, now: clock.now() }, cancelRefusals);
    const by = isPatient(booker) ? 'patient' : data.by;
    // "This and all following" takes the later open appointments of the same series along.
    const later =
      data.scope === 'following' && a.seriesId ? await listOpenInSeriesAfter(ctx, a.seriesId, a.startAt) : [];
    const now = clock.now();
    let first: Appointment | undefined;
    for (const one of [a, ...later]) {
      const late = !isBeforeWindow(settings, one, clock.now());
      const row = await updateAppointmentAtVersion(ctx, one.id, one.version, {
        status: 'cancelled',
        cancelledBy: by,
        cancelReason: data.reason || null,
        lateCancel: by === 'patient' && late,
        cancelledAt: now,
        version: one.version + 1,
        updatedAt: now,
      });
      if (!row) throw changedMeanwhile();
      first ??= row;
      await enqueueFreedTime(ctx, deps, one);
      await unscheduleReminders(ctx, deps, row);
      await recordChange(audit, ctx, booker.actor, 'appointment.cancel', one, {
        by,
        late: row.lateCancel,
        ...(later.length ? { series: true } : {}),
      });
      if (row.lateCancel) await runStatusListeners(ctx, deps, row, booker.actor, 'late_cancelled');
    }
    await enqueueChange(ctx, deps, first!, 'cancelled', booker.actor, later.length > 0);
    return appointmentView(first!);
  });
}
