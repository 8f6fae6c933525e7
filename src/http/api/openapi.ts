import { Hono } from 'hono';
import { z } from 'zod';
import { ApiPage } from '../../../views/pages/api.tsx';
import { pushEndpointInput, pushSubscriptionInput } from '../../domain/notifications/index.ts';
import {
  acceptInviteInput,
  dependentInput,
  ownProfileInput,
  patientInput,
  registrationInput,
  startInput,
  verifyInput,
  verifyLinkInput,
} from '../../domain/patients/index.ts';
import {
  appointmentStatuses,
  bookingInput,
  cancelInput,
  moveInput,
  seriesInput,
  slotSearchInput,
  waitlistInput,
} from '../../domain/scheduling/index.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv } from '../types.ts';

/**
 * The OpenAPI 3.1 document of `/api/v1`, built from the same zod schemas that validate requests
 * (zod 4's own JSON Schema output; OpenAPI 3.1 speaks JSON Schema 2020-12), plus zod schemas of
 * the answers. `test/openapi.test.ts` checks the document is valid and that every `/api/v1`
 * route is in it and nothing else is.
 */
const id = z.string().describe('An id (UUID)');
const instant = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 (UTC "Z" in answers)');

const appointment = z.object({
  id,
  patientId: id,
  practitionerId: id,
  serviceId: id,
  roomId: id.nullable(),
  start: instant,
  end: instant,
  status: z.enum(appointmentStatuses),
  cancelledBy: z.enum(['patient', 'clinic']).nullable(),
  lateCancel: z.boolean(),
  seriesId: id.nullable(),
  version: z.int().describe('Send it back when changing the appointment; a stale one is refused (409 stale)'),
});
const slot = z.object({ practitionerId: id, start: instant, end: instant });
const service = z.object({
  id,
  name: z.string(),
  description: z.string(),
  durationMin: z.int(),
  newPatientsAllowed: z.boolean(),
  requiresApproval: z.boolean(),
});
const practitioner = z.object({
  id,
  displayName: z.string(),
  title: z.string(),
  bio: z.string(),
  colour: z.string(),
  serviceIds: z.array(id),
});
const patient = z.object({
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
const waitlistEntry = z.object({
  id,
  patientId: id,
  serviceId: id,
  practitionerId: id.nullable(),
  fromDate: z.iso.date(),
  toDate: z.iso.date(),
  status: z.enum(['waiting', 'booked', 'removed']),
});
const error = z.object({
  error: z.object({
    code: z.string().describe('Stable: validation_failed, not_found, slot_taken, stale, too_late, …'),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

type Access = 'public' | 'staff' | 'patient' | 'staff-or-patient';
interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; description: string; schema?: z.ZodType };
  errors?: number[];
}

const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const withKey = z.object({ appointment });

const webauthnJson = z.record(z.string(), z.unknown()).describe('WebAuthn JSON (see @simplewebauthn)');
const passkey = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: instant,
  lastUsedAt: instant.nullable(),
});
const me = z.object({ patient: patient.nullable(), registrationRequired: z.boolean() });
const clinic = z.object({
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
const patientAppointment = appointment.extend({ service: z.string(), practitioner: z.string() });

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
export type ErrorJson = z.infer<typeof error>;

export const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/push/public-key',
    summary: 'The VAPID public key (base64url) to subscribe to web push with',
    tag: 'Push',
    access: 'public',
    ok: { status: 200, description: 'The key', schema: z.object({ publicKey: z.string() }) },
  },
  {
    method: 'post',
    path: '/api/v1/me/push-subscriptions',
    summary:
      'Save this device’s push subscription (PushSubscription.toJSON()); the same endpoint again answers the same id',
    tag: 'Push',
    access: 'patient',
    body: pushSubscriptionInput,
    ok: { status: 201, description: 'Saved', schema: z.object({ id }) },
    errors: [401, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/me/push-subscriptions',
    summary: 'Forget this device’s push subscription',
    tag: 'Push',
    access: 'patient',
    body: pushEndpointInput,
    ok: { status: 204, description: 'Forgotten' },
    errors: [401, 422],
  },
  {
    method: 'post',
    path: '/api/v1/auth/start',
    summary: 'Ask for a sign-in code by email (always 202, whatever the address)',
    tag: 'Patient sign-in',
    access: 'public',
    body: startInput,
    ok: { status: 202, description: 'Accepted', schema: z.object({ message: z.string() }) },
    errors: [422, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/verify',
    summary: 'Sign in with the code; sets the session cookie',
    tag: 'Patient sign-in',
    access: 'public',
    body: verifyInput,
    ok: { status: 200, description: 'Signed in', schema: me },
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/verify-link',
    summary: 'Sign in with the link from the code email (only in the browser that asked for the code)',
    tag: 'Patient sign-in',
    access: 'public',
    body: verifyLinkInput,
    ok: { status: 200, description: 'Signed in', schema: me },
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/invite',
    summary: 'Accept a staff invitation with your date of birth; signs in',
    tag: 'Patient sign-in',
    access: 'public',
    body: acceptInviteInput,
    ok: { status: 200, description: 'Signed in', schema: me },
    errors: [401, 409, 422, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/passkey/options',
    summary: 'WebAuthn options to sign in with a passkey',
    tag: 'Patient sign-in',
    access: 'public',
    ok: { status: 200, description: 'PublicKeyCredentialRequestOptionsJSON', schema: webauthnJson },
    errors: [429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/passkey',
    summary: 'Sign in with a passkey (the browser’s WebAuthn answer)',
    tag: 'Patient sign-in',
    access: 'public',
    body: webauthnJson,
    ok: { status: 200, description: 'Signed in', schema: me },
    errors: [401, 429],
  },
  {
    method: 'get',
    path: '/api/v1/me/passkeys',
    summary: 'My passkeys',
    tag: 'Patient',
    access: 'patient',
    ok: { status: 200, description: 'Passkeys', schema: z.object({ passkeys: z.array(passkey) }) },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/me/passkeys/options',
    summary: 'WebAuthn options to add a passkey (within 15 minutes of a code sign-in)',
    tag: 'Patient',
    access: 'patient',
    ok: { status: 200, description: 'PublicKeyCredentialCreationOptionsJSON', schema: webauthnJson },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/me/passkeys',
    summary: 'Add a passkey (the browser’s WebAuthn answer and a name)',
    tag: 'Patient',
    access: 'patient',
    body: z.strictObject({ name: z.string().max(80), response: webauthnJson }),
    ok: { status: 201, description: 'Added', schema: z.object({ passkeys: z.array(passkey) }) },
    errors: [401, 403, 409, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/me/passkeys/{id}',
    summary: 'Remove one of my passkeys',
    tag: 'Patient',
    access: 'patient',
    ok: { status: 204, description: 'Removed' },
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/auth/sign-out',
    summary: 'Sign out this device',
    tag: 'Patient sign-in',
    access: 'patient',
    ok: { status: 204, description: 'Signed out' },
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/v1/auth/sign-out-everywhere',
    summary: 'Sign out every device',
    tag: 'Patient sign-in',
    access: 'patient',
    ok: { status: 204, description: 'Signed out everywhere' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'The signed-in patient (null until registered)',
    tag: 'Patient',
    access: 'patient',
    ok: { status: 200, description: 'Me', schema: me },
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/v1/me/registration',
    summary: 'Register after verifying an unknown address',
    tag: 'Patient',
    access: 'patient',
    body: registrationInput,
    ok: { status: 201, description: 'Registered', schema: z.object({ patient }) },
    errors: [401, 403, 409, 422],
  },
  {
    method: 'patch',
    path: '/api/v1/me',
    summary:
      'Change my language, my message preferences (notifications: per channel, SMS quiet hours), or my email/phone (within 15 minutes of signing in)',
    tag: 'Patient',
    access: 'patient',
    body: ownProfileInput,
    ok: { status: 200, description: 'Me', schema: me },
    errors: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/api/v1/me/dependents',
    summary: 'The family members I book for',
    tag: 'Patient',
    access: 'patient',
    ok: { status: 200, description: 'Dependants', schema: z.object({ dependents: z.array(patient) }) },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/me/dependents',
    summary: 'Add a family member I book for',
    tag: 'Patient',
    access: 'patient',
    body: dependentInput,
    ok: { status: 201, description: 'Added', schema: z.object({ patient }) },
    errors: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/api/v1/me/waitlist',
    summary: 'My (and my family’s) waitlist entries',
    tag: 'Patient',
    access: 'patient',
    ok: { status: 200, description: 'Entries', schema: z.object({ entries: z.array(waitlistEntry) }) },
    errors: [401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/me/appointments',
    summary: 'My (and my family’s) appointments, newest first',
    tag: 'Patient',
    access: 'patient',
    ok: {
      status: 200,
      description: 'Appointments',
      schema: z.object({
        appointments: z.array(patientAppointment),
      }),
    },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/appointments/{id}/reschedule',
    summary: 'Move to another free time (patients: until the cancellation window)',
    tag: 'Appointments',
    access: 'staff-or-patient',
    body: moveInput,
    ok: { status: 200, description: 'Moved', schema: withKey },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/clinic',
    summary: 'The clinic: name, time zone and booking rules',
    tag: 'Booking',
    access: 'public',
    ok: { status: 200, description: 'The clinic', schema: z.object({ clinic }) },
  },
  {
    method: 'get',
    path: '/api/v1/appointments/{id}/calendar.ics',
    summary: 'The appointment as an iCalendar file (add to calendar)',
    tag: 'Appointments',
    access: 'staff-or-patient',
    ok: { status: 200, description: 'text/calendar' },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/services',
    summary: 'Services bookable online',
    tag: 'Booking',
    access: 'public',
    ok: { status: 200, description: 'The services', schema: z.object({ services: z.array(service) }) },
  },
  {
    method: 'get',
    path: '/api/v1/practitioners',
    summary: 'Practitioners bookable online (optionally for one service)',
    tag: 'Booking',
    access: 'public',
    query: z.object({ serviceId: z.string().optional() }),
    ok: {
      status: 200,
      description: 'The practitioners',
      schema: z.object({ practitioners: z.array(practitioner) }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/slots',
    summary: 'Free start times for a service (at most 31 days)',
    tag: 'Booking',
    access: 'public',
    query: slotSearchInput,
    ok: { status: 200, description: 'Slots, earliest first', schema: z.object({ slots: z.array(slot) }) },
    errors: [404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/appointments',
    summary: 'Book (send an Idempotency-Key header to make retries safe)',
    tag: 'Appointments',
    access: 'staff-or-patient',
    body: bookingInput,
    ok: {
      status: 201,
      description: 'Booked (or the first answer again, with Idempotent-Replayed: true)',
      schema: withKey,
    },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/appointments/{id}',
    summary: 'One appointment',
    tag: 'Appointments',
    access: 'staff-or-patient',
    ok: { status: 200, description: 'The appointment', schema: withKey },
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/appointments/{id}',
    summary: 'Move to another time or practitioner',
    tag: 'Appointments',
    access: 'staff',
    body: moveInput,
    ok: { status: 200, description: 'Moved', schema: withKey },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/appointments/{id}/cancel',
    summary: 'Cancel (one, or this and all following in a series)',
    tag: 'Appointments',
    access: 'staff-or-patient',
    body: cancelInput,
    ok: { status: 200, description: 'Cancelled', schema: withKey },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/appointments/{id}/status',
    summary: 'Approve, arrived, completed, no-show (and undo)',
    tag: 'Appointments',
    access: 'staff',
    body: z.object({ status: z.enum(appointmentStatuses), version: z.int().optional() }),
    ok: { status: 200, description: 'Changed', schema: withKey },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/appointment-series',
    summary: 'Book a weekly series; clashes are reported per occurrence',
    tag: 'Appointments',
    access: 'staff',
    body: seriesInput,
    ok: {
      status: 201,
      description: 'The series',
      schema: z.object({
        series: z.object({
          id,
          appointments: z.array(appointment),
          conflicts: z.array(z.object({ start: instant, code: z.string(), message: z.string() })),
        }),
      }),
    },
    errors: [401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/waitlist',
    summary: 'Put a patient on the waitlist (a patient: themselves or a dependant)',
    tag: 'Waitlist',
    access: 'staff-or-patient',
    body: waitlistInput,
    ok: { status: 201, description: 'Added', schema: z.object({ entry: waitlistEntry }) },
    errors: [401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/api/v1/waitlist',
    summary: 'Who is waiting, oldest first',
    tag: 'Waitlist',
    access: 'staff',
    ok: { status: 200, description: 'Entries', schema: z.object({ entries: z.array(waitlistEntry) }) },
    errors: [401, 403],
  },
  {
    method: 'delete',
    path: '/api/v1/waitlist/{id}',
    summary: 'Take an entry off the waitlist',
    tag: 'Waitlist',
    access: 'staff-or-patient',
    ok: { status: 204, description: 'Removed' },
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/patients',
    summary: 'Create a patient record',
    tag: 'Patients',
    access: 'staff',
    body: patientInput,
    ok: { status: 201, description: 'Created', schema: z.object({ patient }) },
    errors: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/api/v1/patients',
    summary: 'Find patients by name, email or phone (audited)',
    tag: 'Patients',
    access: 'staff',
    query: z.object({ q: z.string().describe('At least two characters') }),
    ok: { status: 200, description: 'Matches', schema: z.object({ patients: z.array(patient) }) },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/patients/{id}/invite',
    summary: 'Invite a patient to the portal by email or SMS (their date of birth is checked on acceptance)',
    tag: 'Patients',
    access: 'staff',
    body: z.strictObject({
      email: z.email().optional(),
      phone: z.string().optional().describe('By SMS instead, with country code'),
    }),
    ok: { status: 202, description: 'Invitation queued', schema: z.object({ message: z.string() }) },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/patients/{id}',
    summary: 'One patient record (audited)',
    tag: 'Patients',
    access: 'staff',
    ok: { status: 200, description: 'The patient', schema: z.object({ patient }) },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    tag: 'About',
    access: 'public',
    ok: { status: 200, description: 'OpenAPI 3.1' },
  },
];

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const securityOf: Record<Access, Record<string, string[]>[]> = {
  public: [],
  staff: [{ staffSession: [] }],
  patient: [{ patientSession: [] }],
  'staff-or-patient': [{ staffSession: [] }, { patientSession: [] }],
};

const errorText: Record<number, string> = {
  401: 'Not signed in',
  403: 'Not allowed (role, or a request from another site)',
  404: 'Not found (also for what the caller may not see)',
  409: 'Conflict: slot_taken, stale, too_late or invalid_status',
  422: 'Invalid input; `issues` names the fields',
};

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...(op.path.includes('{id}') ? idParam : []),
      ...(op.query
        ? Object.entries((jsonSchema(op.query, 'input').properties ?? {}) as Record<string, unknown>).map(
            ([name, schema]) => ({
              name,
              in: 'query',
              required: (op.query!.shape[name] as z.ZodType).safeParse(undefined).success === false,
              schema,
            }),
          )
        : []),
      ...(op.path === '/api/v1/appointments' && op.method === 'post'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 200 },
            },
          ]
        : []),
    ];
    paths[op.path] = paths[op.path] ?? {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      tags: [op.tag],
      security: securityOf[op.access],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(op.ok.status)]: {
          description: op.ok.description,
          ...(op.ok.schema
            ? { content: { 'application/json': { schema: jsonSchema(op.ok.schema, 'output') } } }
            : {}),
        },
        ...Object.fromEntries(
          (op.errors ?? []).map((s) => [
            String(s),
            {
              description: errorText[s] ?? 'Error',
              content: { 'application/json': { schema: jsonSchema(error, 'output') } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clinicbox API',
      version,
      description:
        'JSON over HTTPS. Errors are {"error":{"code","message"}} with a stable code. Changes (POST) must be sent as application/json from the same site.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-cb_staff',
          description: 'A staff session (sign in at /staff/login).',
        },
        patientSession: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-cb_patient',
          description: 'A patient session (POST /api/v1/auth/start, then /api/v1/auth/verify).',
        },
      },
    },
    paths,
  };
}

/** `GET /api/v1/openapi.json` and a readable page of the same operations at `/api`. */
export function openApiRoutes(version: string, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const doc = openApiDocument(version);
  app.get('/api/v1/openapi.json', authorize('public'), (c) => c.json(doc));
  app.get('/api', authorize('public'), (c) => c.html(ApiPage({ operations })));
  return app;
}
