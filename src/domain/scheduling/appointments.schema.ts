import { z } from 'zod';
import { issueKey } from '../../lib/messages.ts';

export const appointmentStatuses = [
  'requested',
  'booked',
  'arrived',
  'completed',
  'cancelled',
  'no_show',
] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];

/** Which status may follow which, by a staff action (cancel and move have their own rules). */
export const transitions: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  requested: ['booked'],
  booked: ['arrived', 'completed', 'no_show'],
  arrived: ['completed', 'booked'],
  completed: [],
  cancelled: [],
  no_show: ['booked'],
};

const instant = z.iso.datetime({ offset: true, error: issueKey('start_time_invalid') });

export const bookingInput = z.strictObject({
  serviceId: z.string().min(1, issueKey('choose_service')).max(64),
  practitionerId: z.string().min(1, issueKey('choose_practitioner')).max(64),
  start: instant,
  /** Staff book for a patient; a patient books for themselves (or a dependant). */
  patientId: z.string().min(1).max(64).optional(),
  roomId: z.string().max(64).optional(),
  /** The reason for the visit, when the service asks (health data: shown to staff, never messaged). */
  reason: z.string().trim().max(500, issueKey('reason_too_long')).optional(),
  /** Staff: yes, book this time although it has passed (else 409 start_in_past). No confirmation is sent. */
  confirmPast: z.boolean().optional(),
});
export type BookingInput = z.input<typeof bookingInput>;

export const moveInput = z.strictObject({
  start: instant,
  practitionerId: z.string().min(1).max(64).optional(),
  /** The version the mover saw: a stale one (another tab moved it) is refused. */
  version: z.number().int().positive().optional(),
});
export type MoveInput = z.input<typeof moveInput>;

export const cancelInput = z.strictObject({
  /** Who asked for it: a patient calling in counts as the patient. Patients themselves are always `patient`. */
  by: z.enum(['patient', 'clinic']).default('clinic'),
  reason: z.string().trim().max(500).default(''),
  version: z.number().int().positive().optional(),
  /** In a recurring series: this one only, or this and every later one still open. */
  scope: z.enum(['one', 'following']).default('one'),
});
export type CancelInput = z.input<typeof cancelInput>;

/** A recurring series, booked by staff in one step: every N weeks, N times or until a date. */
export const seriesInput = bookingInput
  .extend({
    patientId: z.string().min(1, issueKey('choose_patient')).max(64),
    everyWeeks: z.coerce.number().int().min(1, 'Every 1 to 12 weeks.').max(12, 'Every 1 to 12 weeks.'),
    count: z.coerce.number().int().min(2, 'At least 2 times.').max(52, 'At most 52 times.').optional(),
    until: z.iso.date({ error: 'until: a date as YYYY-MM-DD.' }).optional(),
  })
  .refine((s) => (s.count === undefined) !== (s.until === undefined), {
    message: 'Give either a number of times or an end date.',
    path: ['count'],
  });
export type SeriesInput = z.input<typeof seriesInput>;

/** Most occurrences a series may have, whatever its end date. */
export const MAX_SERIES = 52;

export const slotSearchInput = z.object({
  serviceId: z.string().min(1, issueKey('service_id_required')).max(64),
  practitionerId: z.string().max(64).optional(),
  from: z.iso.date({ error: issueKey('from_date_invalid') }),
  to: z.iso.date({ error: issueKey('to_date_invalid') }),
});
export type SlotSearchInput = z.input<typeof slotSearchInput>;
