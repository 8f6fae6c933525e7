import { IANAZone } from 'luxon';
import { z } from 'zod';
import { issueKey, type PlainMessageKey } from '../../lib/messages.ts';

/** A wall time, HH:MM; `error` names an example ("Use a time such as 21:00."). */
const wallTime = (error: PlainMessageKey) => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, issueKey(error));

/** SMS quiet hours, as wall times in the clinic's time zone; may wrap midnight (21:00–08:00). */
export const quietHoursSchema = z
  .object({ start: wallTime('quiet_hours_start_invalid'), end: wallTime('quiet_hours_end_invalid') })
  .strict()
  .refine((q) => q.start !== q.end, issueKey('quiet_hours_equal'));
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** The clinic's profile and booking policy defaults (one settings row, `clinic`). */
export const clinicSettingsSchema = z.object({
  name: z.string().trim().min(1, 'Enter the clinic’s name.').max(120),
  timeZone: z
    .string()
    .trim()
    .refine((tz) => IANAZone.isValidZone(tz), 'Choose a time zone such as Europe/Paris or America/New_York.'),
  locale: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'Use a language tag such as en-GB or fr-FR.'),
  address: z.string().trim().max(300),
  phone: z.string().trim().max(40),
  /** Online bookings must start at least this long from now. */
  minNoticeMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30),
  /** How far ahead patients may book. */
  horizonDays: z.coerce.number().int().min(1).max(730),
  /** Patients may cancel or move online until this long before the start. */
  cancellationWindowHours: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 14),
  selfBooking: z.coerce.boolean(),
  /** Reminders, in hours before the start (at most 4; empty: none). */
  reminderHours: z
    .array(
      z.coerce
        .number()
        .int()
        .min(1, 'Reminders: 1 hour or more.')
        .max(24 * 14, 'Reminders: at most 14 days.'),
    )
    .max(4, 'At most 4 reminders.'),
  /** Unknown addresses may register themselves after verifying a code. */
  selfRegistration: z.coerce.boolean(),
  /** No SMS (but sign-in codes) between these times; due ones wait for the end. Null: none. */
  smsQuietHours: quietHoursSchema.nullable().default({ start: '21:00', end: '08:00' }),
  /** Open (future, not cancelled) appointments a patient may have booked online, per person. */
  openBookingsPerPatient: z.coerce
    .number()
    .int()
    .min(1, 'Open online bookings per patient: at least 1.')
    .max(100, 'Open online bookings per patient: at most 100.')
    .default(5),
  /** Family members a patient may add in the app (the clinic adds more). */
  dependentsPerGuardian: z.coerce
    .number()
    .int()
    .min(0, 'Family members per patient: 0 or more.')
    .max(100, 'Family members per patient: at most 100.')
    .default(10),
  /**
   * Practitioners read the notes only of patients they have seen (an appointment with them, or a
   * note they wrote); off: every clinical member reads every chart's notes. Admins are not limited.
   */
  notesOfSeenPatientsOnly: z.coerce.boolean().default(false),
  /**
   * How long a restricted record's clinical content is kept after the last visit, in years (the
   * clinical retention law; 10 by default): then it is listed for an admin to confirm its purge.
   */
  retentionYears: z.coerce
    .number()
    .int()
    .min(1, 'Retention: at least 1 year.')
    .max(100, 'Retention: at most 100 years.')
    .default(10),
});
export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;

export const defaultClinicSettings: ClinicSettings = {
  name: 'Our clinic',
  timeZone: 'UTC',
  locale: 'en-GB',
  address: '',
  phone: '',
  minNoticeMinutes: 120,
  horizonDays: 90,
  cancellationWindowHours: 24,
  selfBooking: true,
  reminderHours: [24, 2],
  selfRegistration: true,
  smsQuietHours: { start: '21:00', end: '08:00' },
  openBookingsPerPatient: 5,
  dependentsPerGuardian: 10,
  notesOfSeenPatientsOnly: false,
  retentionYears: 10,
};
