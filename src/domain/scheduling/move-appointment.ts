import { validated } from '../../lib/errors.ts';
import { recordChange } from '../record-change.ts';
import {
  type AppointmentDeps,
  checkOffers,
  checkOnlineSlot,
  enqueueChange,
  enqueueFreedTime,
  loadActiveService,
  loadForChange,
  lockPractitioner,
  runBookedListeners,
  scheduleReminders,
  unscheduleReminders,
} from './appointment-steps.ts';
import { type AppointmentView, appointmentView } from './appointment-view.ts';
import { hasOverlappingAppointment, updateAppointmentAtVersion } from './appointments.repo.ts';
import { type MoveInput, moveInput } from './appointments.schema.ts';
import {
  type Booker,
  blockOf,
  type ChangeRefusals,
  changedMeanwhile,
  checkChangeable,
  checkMayActFor,
  endOf,
  isPatient,
  slotTaken,
} from './booking-rules.ts';
import { holdRoom } from './place-booking.ts';

const moveRefusals: ChangeRefusals = { notOpen: 'appointment_not_movable', tooLate: 'change_too_late' };

/**
 * Moves an appointment to a new start (and optionally another practitioner), with the same
 * guarantees as booking: the target practitioner's lock first, then the checks, then the write.
 * The old time goes to the waitlist; reminders follow the new time.
 */
export async function moveAppointment(
  deps: AppointmentDeps,
  booker: Booker,
  id: string,
  input: MoveInput,
): Promise<AppointmentView> {
  const { db, clock, audit, clinic } = deps;
  const data = validated(moveInput, input);
  const start = new Date(data.start);
  const settings = await clinic.get();
  return db.tx(async (ctx) => {
    const current = await loadForChange(ctx, booker, id, clock.now());
    const practitionerId = data.practitionerId ?? current.practitionerId;
    checkMayActFor(booker, practitionerId);
    await lockPractitioner(ctx, practitionerId);
    // Re-read under the lock: a concurrent move of the same appointment is now visible.
    const a = await loadForChange(ctx, booker, id, clock.now());
    checkChangeable(a, booker, { version: data.version, settings, now: clock.now() }, moveRefusals);
    const service = await loadActiveService(ctx, a.serviceId);
    if (practitionerId !== a.practitionerId) await checkOffers(ctx, practitionerId, service.id);
    const block = blockOf(service, start);
    if (await hasOverlappingAppointment(ctx, practitionerId, block, a.id)) throw slotTaken(booker);
    await holdRoom(ctx, a.roomId, block, a.id);
    if (isPatient(booker))
      await checkOnlineSlot(ctx, deps, { settings, service, practitionerId, start }, a.id);
    const row = await updateAppointmentAtVersion(ctx, a.id, a.version, {
      practitionerId,
      startAt: start,
      endAt: endOf(service, start),
      blockStartAt: block.start,
      blockEndAt: block.end,
      version: a.version + 1,
      updatedAt: clock.now(),
    });
    if (!row) throw changedMeanwhile();
    await recordChange(audit, ctx, booker.actor, 'appointment.move', a, {
      from: a.startAt.toISOString(),
      to: start.toISOString(),
    });
    await enqueueChange(ctx, deps, row, 'moved', booker.actor);
    await enqueueFreedTime(ctx, deps, a);
    await unscheduleReminders(ctx, deps, row);
    await scheduleReminders(ctx, deps, row);
    await runBookedListeners(ctx, deps, row, booker.actor, 'moved');
    return appointmentView(row);
  });
}
