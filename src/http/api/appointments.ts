import { z } from '@hono/zod-openapi';
import {
  appointmentStatuses,
  appointmentView,
  type Booker,
  bookingInput,
  calendarDocument,
  cancelInput,
  moveInput,
  patientCalendarEvent,
} from '../../domain/scheduling/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { bookerOf } from './actors.ts';
import { idempotencyKey, withAppointment } from './schemas.ts';

/** The staff lifecycle steps; `version` (a number) refuses a stale change, anything else is ignored. */
const statusInput = z.object({
  status: z.enum(appointmentStatuses, { error: `One of ${appointmentStatuses.join(', ')}.` }),
  version: z.number().optional().catch(undefined).openapi({ type: 'integer' }),
});
const operations = apiOperations({ tags: ['Appointments'], policy: 'appointments.book-own|patient' });
/** How a booking or a change of one is refused (besides its 409s, which each names). */
const changed = [401, 403, 404, 422] as const;
/** Every change of a booking answers alike: the appointment after it, or a refusal. */
const changes = (done: string, conflicts: string) => ({
  ok: [withAppointment, done] as const,
  conflicts,
  refuses: changed,
});
/** The 409s, by code: what each means. */
const stale = 'stale: changed since the version sent, or meanwhile';
const notOpen = 'invalid_status: no longer booked or requested';
const taken = 'slot_taken: the practitioner is booked then; room_taken: the room is';
const tooLate = 'too_late: a patient inside the cancellation window';

const book = operations.post('/', {
  summary:
    'Book (send an Idempotency-Key header to make retries safe; staff confirm a past start with confirmPast: true)',
  headers: idempotencyKey,
  body: bookingInput,
  created: [withAppointment, 'Booked (or the first answer again, with Idempotent-Replayed: true)'],
  conflicts: [
    taken,
    'start_in_past: staff book a passed time only with confirmPast: true',
    'patient_archived: the record is archived',
    'too_many_open_appointments: a patient at the clinic’s limit of open bookings',
  ].join('; '),
  refuses: changed,
});
const get = operations.get('/{id}', {
  policy: 'patients.read|patient',
  summary: 'One appointment',
  ok: [withAppointment, 'The appointment'],
});
const ics = operations.get('/{id}/calendar.ics', {
  policy: 'patients.read|patient',
  summary: 'The appointment as an iCalendar file (add to calendar)',
  responses: { 200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } } },
});
const move = operations.patch('/{id}', {
  policy: 'appointments.book-own',
  summary: 'Move to another time or practitioner',
  body: moveInput,
  ...changes('Moved', [stale, notOpen, taken].join('; ')),
});
const cancel = operations.post('/{id}/cancel', {
  summary: 'Cancel (one, or this and all following in a series)',
  body: cancelInput,
  ...changes('Cancelled', [stale, notOpen, tooLate].join('; ')),
});
const reschedule = operations.post('/{id}/reschedule', {
  summary: 'Move to another free time (patients: until the cancellation window)',
  body: moveInput,
  ...changes('Moved', [stale, notOpen, taken, tooLate].join('; ')),
});
const setStatus = operations.post('/{id}/status', {
  policy: 'appointments.book-own',
  summary: 'Approve, arrived (on its day), completed (once started), no-show (and undo)',
  body: statusInput,
  ...changes(
    'Changed',
    [
      stale,
      'invalid_status: that step is not open from its status',
      'not_appointment_day: arrived only on its day',
      'not_started: completed only once it has started',
    ].join('; '),
  ),
});

/**
 * `/api/v1/appointments`: book, read, move, cancel and the lifecycle steps. Errors keep stable
 * codes: slot_taken (409), room_taken (409: the room holds another appointment then), slot_unavailable
 * (422), stale (409), too_late (409); start_in_past (409: staff book a time already passed only with
 * `confirmPast: true`, and the patient is sent no confirmation); not_appointment_day (409: arrived
 * only on the appointment's day in the clinic's time zone) and not_started (409: completed only once
 * it has started).
 */
export function appointmentsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const { appointments } = deps;

  app.openapi(apiRoute(kit, book), async (c) => {
    const { appointment, replayed } = await appointments.book(bookerOf(c), c.req.valid('json'), {
      idempotencyKey: c.req.valid('header')['Idempotency-Key'] ?? null,
    });
    if (replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Location', `/api/v1/appointments/${appointment.id}`);
    return c.json({ appointment }, 201);
  });

  app.openapi(apiRoute(kit, get), async (c) => {
    const a = await appointments.get(bookerOf(c), c.req.valid('param').id);
    return c.json({ appointment: appointmentView(a) }, 200);
  });

  // "Add to calendar" for the patient (and staff): the same event as the confirmation email's.
  app.openapi(apiRoute(kit, ics), async (c) => {
    const a = await appointments.get(bookerOf(c), c.req.valid('param').id);
    const [service, clinic] = await Promise.all([deps.services.get(a.serviceId), deps.clinic.get()]);
    const body = calendarDocument({
      name: clinic.name,
      events: [patientCalendarEvent(a, service.name, clinic)],
    });
    return c.body(body, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="appointment-${a.id.slice(0, 8)}.ics"`,
      'Cache-Control': 'no-store',
    });
  });

  app.openapi(apiRoute(kit, cancel), async (c) => {
    const appointment = await appointments.cancel(bookerOf(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ appointment }, 200);
  });

  // PATCH is the staff's move, reschedule the patient's (staff may use it too): one use case,
  // which holds patients to the online booking rules as well.
  for (const route of [move, reschedule]) {
    app.openapi(apiRoute(kit, route), async (c) => {
      const appointment = await appointments.move(bookerOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ appointment }, 200);
    });
  }

  app.openapi(apiRoute(kit, setStatus), async (c) => {
    const { status, version } = c.req.valid('json');
    const booker = bookerOf(c) as Booker & { role: never };
    const appointment = await appointments.setStatus(booker, c.req.valid('param').id, status, version);
    return c.json({ appointment }, 200);
  });

  return app;
}
