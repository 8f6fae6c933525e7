import type { Context } from 'hono';
import { DateTime } from 'luxon';
import { type AppointmentDetails, AppointmentPanel } from '../../../views/pages/staff/appointment-panel.tsx';
import type { Booker } from '../../domain/scheduling/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import type { CalendarPages } from './calendar-page.tsx';

/** The signed-in member booking or changing from the calendar (staff, with their role). */
export const staffBooker = (c: Context<AppEnv>): Booker & { role: never } =>
  ({ actor: actorOf(c), role: c.get('staff')!.account.role }) as Booker & { role: never };

/** The calendar's panel of one appointment (its read audited), with an error when a change was refused. */
export function appointmentPanels(deps: HttpDeps, calendar: CalendarPages) {
  async function details(
    c: Context<AppEnv>,
    id: string,
    practitioners: { id: string; name: string }[],
  ): Promise<AppointmentDetails> {
    const clinic = await deps.clinic.get();
    const a = await deps.appointments.get(staffBooker(c), id);
    const [patient, services] = await Promise.all([
      deps.patients.get(actorOf(c), a.patientId),
      deps.services.list(),
    ]);
    const start = DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone }).setLocale(clinic.locale);
    const minutes = Math.round((a.endAt.getTime() - a.startAt.getTime()) / 60_000);
    return {
      id: a.id,
      version: a.version,
      status: a.status,
      patient: {
        id: patient.id,
        name: `${patient.firstName} ${patient.lastName}`,
        dateOfBirth: patient.dateOfBirth,
        email: patient.email,
        phone: patient.phone,
      },
      practitioner: practitioners.find((p) => p.id === a.practitionerId)?.name ?? '—',
      practitionerId: a.practitionerId,
      service: services.find((s) => s.id === a.serviceId)?.name ?? '—',
      when: `${start.toLocaleString(DateTime.DATETIME_HUGE)} (${minutes} min)`,
      date: start.toISODate()!,
      time: start.toFormat('HH:mm'),
      cancelledBy: a.cancelledBy,
      cancelReason: a.cancelReason,
      lateCancel: a.lateCancel,
      inSeries: a.seriesId !== null,
    };
  }

  return async (c: Context<AppEnv>, id: string, error?: string) => {
    const practitioners = (await calendar.bookable()).map((p) => ({ id: p.id, name: p.name }));
    return (
      <AppointmentPanel
        a={await details(c, id, practitioners)}
        csrf={c.get('csrf')}
        practitioners={practitioners}
        canChange={calendar.canBook(c)}
        error={error}
      />
    );
  };
}
