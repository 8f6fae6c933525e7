import { type Context, Hono } from 'hono';
import {
  appointmentStatuses,
  appointmentView,
  type Booker,
  calendarDocument,
  patientCalendarEvent,
} from '../../domain/scheduling/index.ts';
import { AppError, unauthorized, validationFailed } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** The JSON body, or a clear 400. */
export async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_json', 'The request body must be a JSON object.', { status: 400 });
  }
  return body as Record<string, unknown>;
}

/**
 * Who is acting on this request: signed-in staff (with their role), else the signed-in patient —
 * whom the domain then holds to their own appointments and the online booking rules.
 */
function bookerOf(c: Context<AppEnv>): Booker {
  const staff = c.get('staff');
  if (staff) return { actor: actorOf(c), role: staff.account.role };
  const patientId = c.get('patient')?.patientId;
  if (!patientId) throw unauthorized();
  return { actor: { ...actorOf(c, null), type: 'patient', id: patientId } };
}

const idempotencyKeyOf = (c: Context<AppEnv>): string | null => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw validationFailed([{ path: 'Idempotency-Key', message: '1–200 visible ASCII characters.' }]);
  }
  return key;
};

/**
 * Slot search (public) and appointments: book, read, move, cancel and the lifecycle steps.
 * Errors keep stable codes: slot_taken (409), slot_unavailable (422), stale (409), too_late (409).
 */
export function appointmentsApi(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();

  app.get('/api/v1/slots', authorize('public'), async (c) => {
    const q = c.req.query();
    const slots = await deps.slots.search({
      serviceId: q.serviceId ?? '',
      ...(q.practitionerId ? { practitionerId: q.practitionerId } : {}),
      from: q.from ?? '',
      to: q.to ?? '',
    });
    c.header('Cache-Control', 'no-store');
    return c.json({
      slots: slots.map((s) => ({
        practitionerId: s.practitionerId,
        start: s.start.toISOString(),
        end: s.end.toISOString(),
      })),
    });
  });

  app.post('/api/v1/appointments', authorize('appointments.book-own|patient'), async (c) => {
    const body = await jsonBody(c);
    const { appointment, replayed } = await deps.appointments.book(bookerOf(c), body as never, {
      idempotencyKey: idempotencyKeyOf(c),
    });
    if (replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Location', `/api/v1/appointments/${appointment.id}`);
    return c.json({ appointment }, 201);
  });

  app.post('/api/v1/waitlist', authorize('patients.write|patient'), async (c) => {
    const entry = await deps.waitlist.join(bookerOf(c).actor, (await jsonBody(c)) as never);
    return c.json({ entry }, 201);
  });
  app.get('/api/v1/waitlist', authorize('patients.read'), async (c) => {
    return c.json({ entries: await deps.waitlist.list(actorOf(c)) });
  });
  app.delete('/api/v1/waitlist/:id', authorize('patients.write|patient'), async (c) => {
    await deps.waitlist.remove(bookerOf(c).actor, c.req.param('id'));
    return c.body(null, 204);
  });

  app.post('/api/v1/appointment-series', authorize('appointments.book-own'), async (c) => {
    const result = await deps.appointments.bookSeries(bookerOf(c), (await jsonBody(c)) as never);
    return c.json(
      { series: { id: result.seriesId, appointments: result.created, conflicts: result.conflicts } },
      201,
    );
  });

  app.get('/api/v1/appointments/:id', authorize('patients.read|patient'), async (c) => {
    const a = await deps.appointments.get(bookerOf(c), c.req.param('id'));
    return c.json({ appointment: appointmentView(a) });
  });

  // "Add to calendar" for the patient (and staff): the same event as the confirmation email's.
  app.get('/api/v1/appointments/:id/calendar.ics', authorize('patients.read|patient'), async (c) => {
    const a = await deps.appointments.get(bookerOf(c), c.req.param('id'));
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

  app.patch('/api/v1/appointments/:id', authorize('appointments.book-own'), async (c) => {
    const appointment = await deps.appointments.move(
      bookerOf(c),
      c.req.param('id'),
      (await jsonBody(c)) as never,
    );
    return c.json({ appointment });
  });

  app.post('/api/v1/appointments/:id/cancel', authorize('appointments.book-own|patient'), async (c) => {
    const appointment = await deps.appointments.cancel(
      bookerOf(c),
      c.req.param('id'),
      (await jsonBody(c)) as never,
    );
    return c.json({ appointment });
  });

  // Patients move their own appointment here (the same rules as staff moves, plus online ones).
  app.post('/api/v1/appointments/:id/reschedule', authorize('appointments.book-own|patient'), async (c) => {
    const appointment = await deps.appointments.move(
      bookerOf(c),
      c.req.param('id'),
      (await jsonBody(c)) as never,
    );
    return c.json({ appointment });
  });

  app.post('/api/v1/appointments/:id/status', authorize('appointments.book-own'), async (c) => {
    const body = await jsonBody(c);
    const status = appointmentStatuses.find((s) => s === body.status);
    if (!status)
      throw validationFailed([{ path: 'status', message: `One of ${appointmentStatuses.join(', ')}.` }]);
    const booker = bookerOf(c) as Booker & { role: never };
    const version = typeof body.version === 'number' ? body.version : undefined;
    const appointment = await deps.appointments.setStatus(booker, c.req.param('id'), status, version);
    return c.json({ appointment });
  });

  return app;
}
