import { remembered } from '../../db/idempotency.ts';
import { fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { patientScope } from '../patients/index.ts';
import { patientRefused } from './access-refusals.ts';
import {
  type AppointmentDeps,
  announceBooking,
  lockPractitioner,
  scheduleReminders,
} from './appointment-steps.ts';
import { type AppointmentView, appointmentView } from './appointment-view.ts';
import { type BookingInput, bookingInput } from './appointments.schema.ts';
import {
  type Booker,
  checkMayActFor,
  isPatient,
  roomTaken,
  slotTaken,
  startInPast,
} from './booking-rules.ts';
import { checkOpenBookingCap } from './open-booking-cap.ts';
import { checkBookable, placeBooking } from './place-booking.ts';
import { markWaitlistBooked } from './waitlist.repo.ts';

/**
 * Books one appointment, by staff or by a patient (for themselves or a dependant; only times
 * online search offers, and a request when the service needs approval). With `idempotencyKey`,
 * a repeat returns the first result. Staff may book a time already passed (entering a visit
 * afterwards) only with `confirmPast: true` (else 409 start_in_past), and the patient is then
 * sent no confirmation.
 */
export async function bookAppointment(
  deps: AppointmentDeps,
  booker: Booker,
  input: BookingInput,
  options: { idempotencyKey?: string | null; seriesId?: string } = {},
): Promise<{ appointment: AppointmentView; replayed: boolean }> {
  const { db, clock, clinic } = deps;
  const data = validated(bookingInput, input);
  // A patient books for themselves, or names one of their dependants.
  const patientId = isPatient(booker) ? (data.patientId ?? booker.actor.id) : data.patientId;
  if (!patientId) throw validationFailed([fieldIssue('patientId', 'choose_patient')]);
  checkMayActFor(booker, data.practitionerId);
  const start = new Date(data.start);
  const past = start.getTime() <= clock.now().getTime();
  // A patient's past time is refused below as one online search does not offer.
  if (past && !isPatient(booker) && !data.confirmPast) throw startInPast();
  const settings = await clinic.get();
  const key = options.idempotencyKey
    ? `${booker.actor.type}:${booker.actor.id ?? '-'}:book:${options.idempotencyKey}`
    : null;
  const fingerprint = JSON.stringify([
    patientId,
    data.serviceId,
    data.practitionerId,
    start.getTime(),
    data.roomId ?? null,
    data.reason ?? '',
  ]);

  const result = await db.tx(async (ctx) => {
    await lockPractitioner(ctx, data.practitionerId);
    return remembered(ctx, key, fingerprint, clock.now(), async () => {
      // Before anything else about the patient: one outside the family is refused whoever it is.
      if (isPatient(booker) && !(await patientScope(ctx, booker.actor.id, clock.now())).has(patientId)) {
        throw patientRefused('that_patient', 'patient', patientId);
      }
      const service = await checkBookable(ctx, { ...data, patientId });
      if (isPatient(booker)) await checkOpenBookingCap(ctx, { patientId, settings, now: clock.now() });
      const status = isPatient(booker) && service.requiresApproval ? 'requested' : 'booked';
      const placed = await placeBooking(ctx, deps, {
        booker,
        patientId,
        practitionerId: data.practitionerId,
        service,
        start,
        roomId: data.roomId,
        reason: data.reason,
        status,
        seriesId: options.seriesId,
        online: isPatient(booker) ? { settings } : undefined,
      });
      if ('refused' in placed) throw placed.refused === 'room_taken' ? roomTaken() : slotTaken(booker);
      const row = placed.row;
      // A visit entered after the fact: "you are booked" would only confuse the patient.
      if (!past) {
        await announceBooking(ctx, deps, row, status, booker.actor);
      }
      await markWaitlistBooked(ctx, patientId, service.id, clock.now());
      await scheduleReminders(ctx, deps, row);
      return { status: 201, body: appointmentView(row) };
    });
  });
  return { appointment: result.body, replayed: result.replayed };
}
