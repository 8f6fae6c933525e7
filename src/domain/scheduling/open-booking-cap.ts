import type { DbCtx } from '../../db/client.ts';
import type { ClinicSettings } from '../clinic/index.ts';
import { lockPatient } from '../patients/index.ts';
import { countOpenPatientBookings } from './appointments.repo.ts';
import { tooManyOpenAppointments } from './booking-rules.ts';

/**
 * Refuses a patient's online booking once the patient it is for has the clinic's number of open
 * (future, booked or requested) appointments booked online; staff bookings do not count. The
 * practitioner's lock does not serialise two bookings of one patient with two practitioners (a
 * double tap on two offered times), so the patient's row is locked before counting.
 */
export async function checkOpenBookingCap(
  ctx: DbCtx,
  booking: { patientId: string; settings: ClinicSettings; now: Date },
): Promise<void> {
  const max = booking.settings.openBookingsPerPatient;
  await lockPatient(ctx, booking.patientId);
  if ((await countOpenPatientBookings(ctx, booking.patientId, booking.now)) >= max) {
    throw tooManyOpenAppointments(max);
  }
}
