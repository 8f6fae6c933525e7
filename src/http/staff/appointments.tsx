import { type Context, Hono } from 'hono';
import type { PanelDone, PanelError } from '../../../views/pages/staff/appointment-panel.tsx';
import { BookingForm, type BookingFormValues } from '../../../views/pages/staff/booking-form.tsx';
import {
  type AppointmentStatus,
  appointmentStatuses,
  calendarDocument,
} from '../../domain/scheduling/index.ts';
import { type AppError, validationFailed } from '../../lib/errors.ts';
import { type FormFields, readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { afterChange, CALENDAR_CHANGED, doneOf, panelUrl } from './appointment-changed.tsx';
import { appointmentPanels, staffBooker } from './appointment-panel.tsx';
import { bookFromCalendar } from './book-from-calendar.ts';
import { type CalendarPages, calendarPages } from './calendar-page.tsx';
import { todayPages } from './today.tsx';

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
    submission: text('submission'),
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
  const today = todayPages(deps, kit);
  const changed = afterChange(deps, calendar, panelOf);

  app.post('/', authorize('appointments.book-own'), async (c) => {
    const values = bookingValuesOf(await readForm(c));
    return orRerender(
      async () => {
        const next = await bookFromCalendar(deps, calendar, c, values);
        // With htmx, one appointment: its panel, saying so, where the member is looking; a
        // series, or a page without JavaScript: the day booked, with its notice.
        const booked = /#appt-([\w-]+)$/.exec(next)?.[1];
        const day = new URL(next, 'http://calendar').searchParams.get('date');
        const htmx = c.req.header('hx-request');
        return htmx && booked && day ? changed(c, booked, day, 'booked') : redirect(c, next);
      },
      async (r) =>
        calendar.respond(c, await refusedBookingForm(deps, calendar, c, values, r.message), r.status),
      shownInPanel,
    );
  });

  app.get('/:id', authorize('patients.read'), async (c) => {
    const id = c.req.param('id');
    // Opened from a link (Today, Inbox, chart): the calendar behind it shows the appointment's day.
    if (!c.req.header('hx-request') && !c.req.query('date')) {
      const a = await deps.appointments.get(staffBooker(c), id);
      const done = doneOf(c.req.query('done'));
      const day = await calendar.dayOf(a.startAt.toISOString());
      return c.redirect(panelUrl(id, 'day', day!, done), 303);
    }
    return calendar.respond(c, await panelOf(c, id, { done: doneOf(c.req.query('done')) }));
  });

  app.get('/:id/calendar.ics', authorize('patients.read'), (c) => appointmentIcs(deps, c, c.req.param('id')));

  /** One change from the panel (or from Today's Arrived button, `back=today`). */
  type Change = (
    c: Context<AppEnv>,
    form: FormFields,
    version: number | undefined,
  ) => Promise<{ start: string; status: AppointmentStatus }>;
  const change = (path: string, on: PanelError['on'], run: Change) =>
    app.post(path, authorize('appointments.book-own'), async (c) => {
      const id = c.req.param('id')!;
      const form = await readForm(c);
      const version = /^\d+$/.test(form.text('version')) ? Number(form.text('version')) : undefined;
      const fromToday = form.text('back') === 'today';
      return orRerender(
        async () => {
          const result = await run(c, form, version);
          if (fromToday) return c.req.header('hx-request') ? today(c) : c.redirect(`/staff#today-${id}`, 303);
          const done: PanelDone =
            on === 'move' ? 'moved' : on === 'cancel' ? 'cancelled' : (doneOf(result.status) ?? 'booked');
          return changed(c, id, (await calendar.dayOf(result.start))!, done);
        },
        async (r) => {
          if (fromToday) return today(c, { id, message: r.message }, r.status);
          const typed = {
            date: form.text('date'),
            time: form.text('time'),
            practitionerId: form.text('practitionerId'),
            reason: form.text('reason'),
          };
          const panel = await panelOf(c, id, { error: { on, message: r.message }, typed });
          // Refused because it changed meanwhile: the grid shows how it is now, too.
          c.header('HX-Trigger', CALENDAR_CHANGED);
          return calendar.respond(c, panel, r.status);
        },
        shownInPanel,
      );
    });

  change('/:id/status', 'status', async (c, form, version) => {
    const status = appointmentStatuses.find((s) => s === form.text('status'));
    if (!status) throw validationFailed([{ path: 'status', message: 'Choose a status.' }]);
    return deps.appointments.setStatus(staffBooker(c), c.req.param('id')!, status, version);
  });
  change('/:id/move', 'move', async (c, form, version) =>
    deps.appointments.move(staffBooker(c), c.req.param('id')!, {
      start: (await calendar.instantOf(form.text('date'), form.text('time'))).toISOString(),
      ...(form.text('practitionerId') ? { practitionerId: form.text('practitionerId') } : {}),
      ...(version ? { version } : {}),
    }),
  );
  change('/:id/cancel', 'cancel', async (c, form, version) =>
    deps.appointments.cancel(staffBooker(c), c.req.param('id')!, {
      by: form.text('by') === 'clinic' ? 'clinic' : 'patient',
      reason: form.text('reason'),
      scope: form.text('scope') === 'following' ? 'following' : 'one',
      ...(version ? { version } : {}),
    }),
  );

  return app;
}

/** One appointment as a calendar file (.ics), for the member to add to their own calendar. */
async function appointmentIcs(deps: HttpDeps, c: Context<AppEnv>, id: string) {
  const a = await deps.appointments.get(staffBooker(c), id);
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
}

/**
 * The booking form shown again after a refusal, with what was typed and why; it offers only the
 * practitioners the member may book for (as the calendar's empty slots do).
 */
async function refusedBookingForm(
  deps: HttpDeps,
  calendar: CalendarPages,
  c: Context<AppEnv>,
  values: BookingFormValues,
  error: string,
) {
  const [services, practitioners] = await Promise.all([deps.services.list(), calendar.bookableBy(c)]);
  return (
    <BookingForm
      csrf={c.get('csrf')}
      values={values}
      practitioners={practitioners}
      services={services.filter((s) => s.active)}
      error={error}
    />
  );
}
