import type { Context } from 'hono';
import { DateTime } from 'luxon';
import {
  type BookingErrors,
  type BookingField,
  type BookingFormValues,
  bookingFieldOrder,
} from '../../../views/pages/staff/booking-form.tsx';
import { type AppError, conflict, fieldIssue, isAppError, validationFailed } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { staffBooker } from './appointment-panel.tsx';
import type { CalendarPages } from './calendar-page.tsx';
import { birthDate } from './clinic-time.ts';
import { createFromForm } from './patient-from-form.ts';

/**
 * Books what the calendar's form asks for — one appointment, or a weekly series — for the patient
 * chosen, or a new patient made on the spot (kept even if the time was just taken: the form then
 * shows them chosen, so a second try does not make them twice; two sent at once make one, by
 * the form's own id). Answers where the calendar goes
 * next: the day booked, with a notice (and each time a series could not take).
 *
 * When refused, `values` is completed for the form shown again: the fields the route does not
 * read (reason, confirmPast), the patient as chosen, and what is wrong by field (`errors`).
 */
export async function bookFromCalendar(
  deps: HttpDeps,
  calendar: CalendarPages,
  c: Context<AppEnv>,
  values: BookingFormValues,
): Promise<string> {
  const form = await readForm(c);
  values.reason = form.text('reason').trim();
  values.confirmPast = form.checked('confirmPast');
  try {
    return await book(deps, calendar, c, values);
  } catch (e) {
    if (isAppError(e)) {
      values.errors = bookingErrorsOf(e);
      await labelChosenPatient(deps, c, values);
    }
    throw e;
  }
}

async function book(
  deps: HttpDeps,
  calendar: CalendarPages,
  c: Context<AppEnv>,
  values: BookingFormValues,
): Promise<string> {
  const start = await calendar.instantOf(values.date, values.time);
  // Before a new patient is made: the member first says yes to a time already past.
  if (start.getTime() <= deps.clock.now().getTime() && !values.confirmPast) {
    throw conflict(
      'That time has already passed. Tick the box below to book it anyway; the patient is sent no confirmation.',
      'start_in_past',
    );
  }
  if (!values.patientId) {
    if (!values.firstName && !values.lastName) {
      throw validationFailed([
        fieldIssue('patientId', 'Find the patient and choose them in the list, or add a new one.'),
      ]);
    }
    const typed = {
      firstName: values.firstName,
      lastName: values.lastName,
      dateOfBirth: isoDateOfBirth(values.dateOfBirth),
      email: values.email,
      phone: values.phone,
    };
    // A double click sends the form twice at once: one patient, whose second booking is refused.
    const created = await createFromForm(deps, c, typed, values.submission);
    Object.assign(values, { patientId: created.id, firstName: '', lastName: '', dateOfBirth: '' });
    Object.assign(values, { email: '', phone: '' });
  }
  const service = await deps.services.get(values.serviceId).catch(() => null);
  const body = request(values, start, service?.askReason ? (values.reason ?? '') : '');
  if (values.count) {
    const series = await deps.appointments.bookSeries(staffBooker(c), {
      ...body,
      everyWeeks: values.everyWeeks || '1',
      count: values.count,
    } as never);
    const notice = `series-${series.created.length}-${series.conflicts.length}`;
    const clashes = series.conflicts.map((x) => `&clash=${encodeURIComponent(x.start)}`).join('');
    return `/staff/calendar?view=day&date=${await calendar.dayOf(start.toISOString())}&notice=${notice}${clashes}`;
  }
  const { appointment } = await deps.appointments.book(staffBooker(c), body);
  return `/staff/calendar?view=day&date=${await calendar.dayOf(appointment.start)}&notice=booked#appt-${appointment.id}`;
}

/** The booking the form asks for (`reason` only when the service asks for one). */
const request = (values: BookingFormValues, start: Date, reason: string) => ({
  serviceId: values.serviceId,
  practitionerId: values.practitionerId,
  start: start.toISOString(),
  patientId: values.patientId,
  ...(reason ? { reason } : {}),
  ...(values.confirmPast ? { confirmPast: true } : {}),
});

/**
 * A date of birth as the field's placeholder shows it (31/12/1980, also with dots or dashes) or
 * as ISO (1980-12-31), as the ISO date the patient record keeps; refused by field otherwise.
 */
export function isoDateOfBirth(typed: string): string {
  const text = typed.trim();
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const date = dmy
    ? DateTime.fromObject({ day: Number(dmy[1]), month: Number(dmy[2]), year: Number(dmy[3]) })
    : DateTime.fromISO(text);
  if (!text || !date.isValid || !(dmy || /^\d{4}-\d{2}-\d{2}$/.test(text))) {
    throw validationFailed([
      fieldIssue('dateOfBirth', 'Enter the date of birth as day/month/year, for example 31/12/1980.'),
    ]);
  }
  return date.toISODate()!;
}

/** Where each refusal is shown in the form: under its field, else above Book. */
function bookingErrorsOf(e: AppError): BookingErrors {
  if (e.code === 'slot_taken' || e.code === 'room_taken') return { start: e.message };
  if (e.code === 'start_in_past') return { confirmPast: e.message };
  const errors: BookingErrors = {};
  for (const issue of e.issues ?? []) {
    const field = fieldOf(issue.path);
    errors[field] = errors[field] ? `${errors[field]} ${issue.message}` : issue.message;
  }
  return e.issues?.length ? errors : { form: e.message };
}

/** The fields a refusal's issue can name (the past-time confirmation is asked for, not refused). */
const fields = bookingFieldOrder.filter((f) => f !== 'confirmPast');

/** The form field an issue's path names (`until` and unknown ones: the booking as a whole). */
function fieldOf(path: string): BookingField {
  const name = path.split('.')[0] ?? '';
  if (name === 'date' || name === 'time') return 'start';
  return fields.find((f) => f === name) ?? 'form';
}

/** The chosen patient shown again by name and date of birth (the search box's text is no name). */
async function labelChosenPatient(deps: HttpDeps, c: Context<AppEnv>, values: BookingFormValues) {
  if (!values.patientId) return;
  const p = await deps.patients.get(actorOf(c), values.patientId).catch(() => null);
  if (p) values.patientLabel = `${p.firstName} ${p.lastName} (born ${birthDate(p.dateOfBirth)})`;
  else values.patientId = '';
}
