import { type Context, Hono } from 'hono';
import { BookingForm, type BookingFormValues } from '../../../views/pages/staff/booking-form.tsx';
import { appointmentStatuses, calendarDocument } from '../../domain/scheduling/index.ts';
import { type AppError, validationFailed } from '../../lib/errors.ts';
import { type FormFields, readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { appointmentPanels, staffBooker } from './appointment-panel.tsx';
import { bookFromCalendar } from './book-from-calendar.ts';
import { calendarPages } from './calendar-page.tsx';

/** An expected refusal (taken, stale, invalid) is shown in the panel; anything else propagates. */
const shownInPanel = (e: AppError) => e.status < 500 && e.status !== 403;

/** The booking form's fields as typed (trimmed), to book with or to show again. */
const bookingValuesOf = (form: FormFields): BookingFormValues => {
  const text = (name: string) => form.text(name).trim();
  return {
    practitionerId: text('practitionerId'),
    serviceId: text('serviceId'),
    date: text('date'),
    time: text('time'),
    patientId: text('patientId'),
    patientLabel: text('q'),
    firstName: text('firstName'),
    lastName: text('lastName'),
    dateOfBirth: text('dateOfBirth'),
    email: text('email'),
    phone: text('phone'),
    everyWeeks: text('everyWeeks'),
    count: text('count'),
  };
};

/**
 * `/staff/appointments`: booking from the calendar, one appointment's panel (status, move,
 * cancel) and its .ics. Panels are htmx fragments (full pages without JavaScript); every change
 * goes through the appointments service, so the calendar has the API's guarantees (no double
 * booking, stale versions refused).
 */
export function staffAppointmentRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const calendar = calendarPages(deps, kit);
  const panelOf = appointmentPanels(deps, calendar);

  app.post('/', authorize('appointments.book-own'), async (c) => {
    const values = bookingValuesOf(await readForm(c));
    return orRerender(
      async () => redirect(c, await bookFromCalendar(deps, calendar, c, values)),
      async (r) => {
        const services = (await deps.services.list()).filter((s) => s.active);
        const form = (
          <BookingForm
            csrf={c.get('csrf')}
            values={values}
            practitioners={await calendar.bookable()}
            services={services}
            error={r.message}
          />
        );
        return calendar.respond(c, form, r.status);
      },
      shownInPanel,
    );
  });

  app.get('/:id', authorize('patients.read'), async (c) =>
    calendar.respond(c, await panelOf(c, c.req.param('id'))),
  );

  app.get('/:id/calendar.ics', authorize('patients.read'), async (c) => {
    const a = await deps.appointments.get(staffBooker(c), c.req.param('id'));
    const [patient, service, clinic] = await Promise.all([
      deps.patients.get(actorOf(c), a.patientId),
      deps.services.get(a.serviceId),
      deps.clinic.get(),
    ]);
    const body = calendarDocument({
      name: clinic.name,
      events: [
        {
          id: a.id,
          start: a.startAt,
          end: a.endAt,
          summary: `${patient.firstName} ${patient.lastName} — ${service.name}`,
          location: clinic.address,
          cancelled: a.status === 'cancelled',
          sequence: a.version,
          updatedAt: a.updatedAt,
        },
      ],
    });
    return c.body(body, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="appointment-${a.id.slice(0, 8)}.ics"`,
    });
  });

  /** One change from the panel; afterwards the calendar reloads (htmx) or the page redirects. */
  type Change = (
    c: Context<AppEnv>,
    form: FormFields,
    version: number | undefined,
  ) => Promise<{ start: string }>;
  const change = (path: string, run: Change) =>
    app.post(path, authorize('appointments.book-own'), async (c) => {
      const id = c.req.param('id')!;
      const form = await readForm(c);
      const version = /^\d+$/.test(form.text('version')) ? Number(form.text('version')) : undefined;
      return orRerender(
        async () => {
          const result = await run(c, form, version);
          if (form.text('back') === 'today') return redirect(c, '/staff');
          return redirect(
            c,
            `/staff/calendar?view=day&date=${await calendar.dayOf(result.start)}#appt-${id}`,
          );
        },
        async (r) => calendar.respond(c, await panelOf(c, id, r.message), r.status),
        shownInPanel,
      );
    });

  change('/:id/status', async (c, form, version) => {
    const status = appointmentStatuses.find((s) => s === form.text('status'));
    if (!status) throw validationFailed([{ path: 'status', message: 'Choose a status.' }]);
    return deps.appointments.setStatus(staffBooker(c), c.req.param('id')!, status, version);
  });
  change('/:id/move', async (c, form, version) =>
    deps.appointments.move(staffBooker(c), c.req.param('id')!, {
      start: (await calendar.instantOf(form.text('date'), form.text('time'))).toISOString(),
      ...(form.text('practitionerId') ? { practitionerId: form.text('practitionerId') } : {}),
      ...(version ? { version } : {}),
    }),
  );
  change('/:id/cancel', async (c, form, version) =>
    deps.appointments.cancel(staffBooker(c), c.req.param('id')!, {
      by: form.text('by') === 'clinic' ? 'clinic' : 'patient',
      reason: form.text('reason'),
      scope: form.text('scope') === 'following' ? 'following' : 'one',
      ...(version ? { version } : {}),
    }),
  );

  return app;
}
