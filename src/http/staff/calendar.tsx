import { Hono } from 'hono';
import { BookingForm } from '../../../views/pages/staff/booking-form.tsx';
import { CalendarPage } from '../../../views/pages/staff/calendar.tsx';
import { newId } from '../../lib/ids.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { calendarPages, DATE, TIME } from './calendar-page.tsx';

/**
 * `/staff/calendar`: the day and week views, and `/new`, the booking form for a free time. The
 * appointments themselves (panel, booking, changes) are under `/staff/appointments`.
 */
export function staffCalendarRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const calendar = calendarPages(deps, kit);

  app.get('/', kit.authorize('patients.read'), async (c) =>
    c.html(<CalendarPage {...(await calendar.props(c))} />),
  );

  app.get('/new', kit.authorize('appointments.book-own'), async (c) => {
    const q = c.req.query();
    // Only the calendars the member may book into: a practitioner is offered their own.
    const practitioners = await calendar.bookableBy(c);
    const practitioner = practitioners.find((p) => p.id === q.practitionerId) ?? practitioners[0];
    const services = (await deps.services.list()).filter((s) => s.active);
    const offered = services.filter((s) => practitioner?.serviceIds.includes(s.id));
    return calendar.respond(
      c,
      <BookingForm
        csrf={c.get('csrf')}
        values={{
          practitionerId: practitioner?.id ?? '',
          serviceId: (offered[0] ?? services[0])?.id ?? '',
          date: DATE.test(q.date ?? '') ? q.date! : '',
          time: TIME.test(q.time ?? '') ? q.time! : '',
          patientId: '',
          patientLabel: '',
          firstName: '',
          lastName: '',
          dateOfBirth: '',
          email: '',
          phone: '',
          everyWeeks: '1',
          count: '',
          submission: newId(),
        }}
        practitioners={practitioners}
        services={offered.length ? offered : services}
      />,
    );
  });
  return app;
}
