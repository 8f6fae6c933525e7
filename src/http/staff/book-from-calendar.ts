import type { Context } from 'hono';
import type { BookingFormValues } from '../../../views/pages/staff/booking-form.tsx';
import { validationFailed } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { staffBooker } from './appointment-panel.tsx';
import type { CalendarPages } from './calendar-page.tsx';

/**
 * Books what the calendar's form asks for — one appointment, or a weekly series — for the patient
 * found, or a new patient made on the spot (kept even if the time was just taken). Answers where
 * the calendar goes next: the day booked, with a notice (and each time a series could not take).
 */
export async function bookFromCalendar(
  deps: HttpDeps,
  calendar: CalendarPages,
  c: Context<AppEnv>,
  values: BookingFormValues,
): Promise<string> {
  const start = await calendar.instantOf(values.date, values.time);
  let patientId = values.patientId;
  if (!patientId) {
    if (!values.firstName && !values.lastName) {
      throw validationFailed([{ path: 'patientId', message: 'Find a patient, or add a new one.' }]);
    }
    const created = await deps.patients.create(actorOf(c), {
      firstName: values.firstName,
      lastName: values.lastName,
      dateOfBirth: values.dateOfBirth,
      email: values.email,
      phone: values.phone,
    });
    patientId = created.id;
  }
  const request = {
    serviceId: values.serviceId,
    practitionerId: values.practitionerId,
    start: start.toISOString(),
    patientId,
  };
  if (values.count) {
    const series = await deps.appointments.bookSeries(staffBooker(c), {
      ...request,
      everyWeeks: values.everyWeeks || '1',
      count: values.count,
    } as never);
    const notice = `series-${series.created.length}-${series.conflicts.length}`;
    const clashes = series.conflicts.map((x) => `&clash=${encodeURIComponent(x.start)}`).join('');
    return `/staff/calendar?view=day&date=${await calendar.dayOf(start.toISOString())}&notice=${notice}${clashes}`;
  }
  const { appointment } = await deps.appointments.book(staffBooker(c), request);
  return `/staff/calendar?view=day&date=${await calendar.dayOf(appointment.start)}&notice=booked#appt-${appointment.id}`;
}
