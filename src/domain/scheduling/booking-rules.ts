import { conflict, forbidden } from '../../lib/errors.ts';
import type { MessageKey } from '../../lib/messages.ts';
import { can, type StaffRole } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { ClinicSettings } from '../clinic/index.ts';
import type { Appointment } from './appointments.repo.ts';
import type { AppointmentStatus } from './appointments.schema.ts';
import type { Service } from './services.repo.ts';

/**
 * The rules of booking that need no database: who may act for whom, the time an appointment
 * takes on the practitioner's timeline, the cancellation window, stale versions.
 */

/** Who is acting: a patient (for themselves) or a staff member with a role. */
export type Booker = { actor: Actor & { type: 'patient'; id: string } } | { actor: Actor; role: StaffRole };

export const isPatient = (b: Booker): b is { actor: Actor & { type: 'patient'; id: string } } =>
  b.actor.type === 'patient';

/** Staff may book for practitioners their role allows; patients only through online booking rules. */
export function checkMayActFor(booker: Booker, practitionerId: string): void {
  if (isPatient(booker)) return;
  const role = (booker as { role: StaffRole }).role;
  if (can(role, 'appointments.book-any')) return;
  if (can(role, 'appointments.book-own') && booker.actor.id === practitionerId) return;
  throw forbidden('You may book only into your own calendar.');
}

/** The time the practitioner is taken by the service starting at `start`: buffers included. */
export const blockOf = (service: Service, start: Date) => ({
  start: new Date(start.getTime() - service.bufferBeforeMin * 60_000),
  end: new Date(start.getTime() + (service.durationMin + service.bufferAfterMin) * 60_000),
});

/** When the service starting at `start` ends (buffers not included). */
export const endOf = (service: Service, start: Date) =>
  new Date(start.getTime() + service.durationMin * 60_000);

/**
 * The time overlaps another appointment of the practitioner. A patient chose it among offered
 * times, so someone just took it; staff may type any time, so theirs says what is in the way.
 */
export const slotTaken = (booker?: Booker) =>
  booker && !isPatient(booker)
    ? conflict(
        'That time overlaps another appointment of the practitioner (buffers included). Choose another time.',
        'slot_taken',
      )
    : conflict('slot_taken', 'slot_taken');

/** The room already holds another appointment then (buffers included): the room's no-double-booking. */
export const roomTaken = () =>
  conflict('The room is taken at that time. Choose another room or time.', 'room_taken');

/** A staff booking whose start has passed, sent without `confirmPast: true`. */
export const startInPast = () =>
  conflict(
    'That time has already passed. Confirm to book it anyway; the patient is sent no confirmation.',
    'start_in_past',
  );

/** The patient has as many open online bookings as the clinic allows (`max`). */
export const tooManyOpenAppointments = (max: number) =>
  conflict({ key: 'too_many_open_appointments', params: { max } }, 'too_many_open_appointments');

/** The write found the appointment at another version than it read: someone changed it meanwhile. */
export const changedMeanwhile = () => conflict('appointment_changed_meanwhile', 'stale');

/** Refuses a change made from a version the appointment no longer has (another tab or person). */
export function checkVersion(a: Appointment, version: number | undefined): void {
  if (version !== undefined && version !== a.version) {
    throw conflict('appointment_stale', 'stale');
  }
}

/** Patients may change their own appointment only until the clinic's cancellation window. */
export const isBeforeWindow = (settings: ClinicSettings, a: Appointment, now: Date) =>
  a.startAt.getTime() - now.getTime() >= settings.cancellationWindowHours * 3_600_000;

/** What refuses a change (cancel, move) of an appointment that is not open, or too late for a patient. */
export type ChangeRefusals =
  | { notOpen: 'appointment_not_cancellable'; tooLate: 'cancel_too_late' }
  | { notOpen: 'appointment_not_movable'; tooLate: 'change_too_late' };

/**
 * The checks before an open appointment changes: made from the version it has, still booked or
 * requested (else `notOpen`, naming its status), and, by a patient, before the clinic's
 * cancellation window (else `tooLate`).
 */
export function checkChangeable(
  a: Appointment,
  booker: Booker,
  change: { version: number | undefined; settings: ClinicSettings; now: Date },
  refusals: ChangeRefusals,
): void {
  checkVersion(a, change.version);
  if (a.status !== 'booked' && a.status !== 'requested') {
    throw conflict({ key: refusals.notOpen, params: { status: statusKeys[a.status] } }, 'invalid_status');
  }
  if (isPatient(booker) && !isBeforeWindow(change.settings, a, change.now)) {
    throw conflict(refusals.tooLate, 'too_late');
  }
}

/** How a status reads in a message: `no_show` → `no-show`. */
export const statusWords = (status: string) => status.replace('_', '-');

/** A status as the patient's messages say it (a parameter of `appointment_not_cancellable`…). */
export const statusKeys: Record<AppointmentStatus, Extract<MessageKey, `status_${string}`>> = {
  requested: 'status_requested',
  booked: 'status_booked',
  arrived: 'status_arrived',
  completed: 'status_completed',
  cancelled: 'status_cancelled',
  no_show: 'status_no_show',
};
