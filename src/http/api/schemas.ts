import { z } from '@hono/zod-openapi';
import { appointmentStatuses } from '../../domain/scheduling/index.ts';

/**
 * The shapes of the API's answers (the requests' shapes are the domain's own schemas). The patient
 * app imports the inferred types, never the values.
 */
/** An id (UUID). */
export const id = z.string().describe('An id (UUID)');
/** An instant as the API writes it: ISO 8601 with its offset (UTC "Z" in answers). */
export const instant = z.iso.datetime({ offset: true });

/** The header that makes a create safe to retry: the same key answers the first request again. */
export const idempotencyKey = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, '1–200 visible ASCII characters.')
    .optional()
    .describe('Makes retries safe: the same key answers the first request again (sent with other data: 422)'),
});
const describedInstant = instant.describe('An instant, ISO 8601 (UTC "Z" in answers)');

/** An appointment as the API shows it (the domain's appointmentView). */
export const appointment = z.object({
  id,
  patientId: id,
  practitionerId: id,
  serviceId: id,
  roomId: id.nullable(),
  start: describedInstant,
  end: describedInstant,
  status: z.enum(appointmentStatuses),
  cancelledBy: z.enum(['patient', 'clinic']).nullable(),
  lateCancel: z.boolean(),
  seriesId: id.nullable(),
  reason: z.string().nullable().describe('The reason for the visit given at booking (health data)'),
  version: z.int().describe('Send it back when changing the appointment; a stale one is refused (409 stale)'),
});
/** `{ appointment }`: what a booking or a change answers. */
export const withAppointment = z.object({ appointment });
/** A patient's own appointment, with the service's and practitioner's names. */
export const patientAppointment = appointment.extend({ service: z.string(), practitioner: z.string() });
/** A booked series: what was booked, and each time that could not be. */
export const series = z.object({
  series: z.object({
    id,
    appointments: z.array(appointment),
    conflicts: z.array(z.object({ start: describedInstant, code: z.string(), message: z.string() })),
  }),
});

/** A free start time. */
export const slot = z.object({ practitionerId: id, start: describedInstant, end: describedInstant });
/** A service bookable online. */
export const service = z.object({
  id,
  name: z.string(),
  description: z.string(),
  durationMin: z.int(),
  newPatientsAllowed: z.boolean(),
  requiresApproval: z.boolean(),
  /** Booking asks for a reason for the visit (optional to give). */
  askReason: z.boolean(),
});
/** A practitioner bookable online, as patients see them. */
export const practitioner = z.object({
  id,
  displayName: z.string(),
  title: z.string(),
  bio: z.string(),
  colour: z.string(),
  serviceIds: z.array(id),
});
/** What the patient app needs of the clinic before sign-in. */
export const clinic = z.object({
  name: z.string(),
  timeZone: z.string().describe('IANA zone every time is shown in'),
  locale: z.string(),
  address: z.string(),
  phone: z.string(),
  horizonDays: z.int(),
  cancellationWindowHours: z.int(),
  selfBooking: z.boolean(),
  selfRegistration: z.boolean(),
});

/** A patient record (the patient's own view adds language and message preferences). */
export const patient = z.object({
  id,
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.iso.date(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  preferredLanguage: z.string().nullable().optional(),
  messagesByEmail: z.boolean().optional().describe('Same as notifications.email (kept for older apps)'),
  messagesBySms: z.boolean().optional().describe('Same as notifications.sms (kept for older apps)'),
  notifications: z
    .object({
      email: z.boolean(),
      sms: z.boolean(),
      push: z.boolean(),
      quietHours: z
        .object({ start: z.string(), end: z.string() })
        .nullable()
        .describe('SMS quiet hours in the clinic time zone (the clinic’s unless changed); null: none'),
    })
    .optional(),
});
/** `{ patient }`. */
export const withPatient = z.object({ patient });
/** The session's patient, or that registration comes next. */
export const me = z.object({ patient: patient.nullable(), registrationRequired: z.boolean() });

/** One waitlist entry. */
export const waitlistEntry = z.object({
  id,
  patientId: id,
  serviceId: id,
  practitionerId: id.nullable(),
  fromDate: z.iso.date(),
  toDate: z.iso.date(),
  status: z.enum(['waiting', 'booked', 'removed']),
});
/** `{ entries }`: waitlist entries. */
export const entries = z.object({ entries: z.array(waitlistEntry) });

/** The browser's WebAuthn JSON, options or answer. */
export const webauthnJson = z.record(z.string(), z.unknown()).describe('WebAuthn JSON (see @simplewebauthn)');
const passkey = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: describedInstant,
  lastUsedAt: describedInstant.nullable(),
});
/** `{ passkeys }`: the patient's passkeys. */
export const passkeys = z.object({ passkeys: z.array(passkey) });
/** `{ message }`: an accepted request, in words. */
export const message = z.object({ message: z.string() });

/** The answers' shapes, for the patient app (which imports types only). */
export type ClinicJson = z.infer<typeof clinic>;
export type PatientJson = z.infer<typeof patient>;
export type MeJson = z.infer<typeof me>;
export type ServiceJson = z.infer<typeof service>;
export type PractitionerJson = z.infer<typeof practitioner>;
export type SlotJson = z.infer<typeof slot>;
export type AppointmentJson = z.infer<typeof appointment>;
export type PatientAppointmentJson = z.infer<typeof patientAppointment>;
export type WaitlistEntryJson = z.infer<typeof waitlistEntry>;
