import type { Context } from 'hono';
import { DateTime } from 'luxon';
import {
  type AppointmentDetails,
  AppointmentPanel,
  type PanelDone,
  type PanelError,
  type PanelTyped,
} from '../../../views/pages/staff/appointment-panel.tsx';
import { can } from '../../domain/accounts/index.ts';
import type { Booker } from '../../domain/scheduling/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import type { CalendarPages } from './calendar-page.tsx';
import { birthDate } from './clinic-time.ts';
import { appointmentBilling } from './invoice-pages.tsx';
import { patientContact } from './patients-record.tsx';

/** A weekday, the date and the time, as the clinic's locale writes them ("Tuesday 3 March 2026 at 09:00"). */
const WHEN = { ...DateTime.DATE_HUGE, hour: '2-digit', minute: '2-digit' } as const;

/** The signed-in member booking or changing from the calendar (staff, with their role). */
export const staffBooker = (c: Context<AppEnv>): Booker & { role: never } =>
  ({ actor: actorOf(c), role: c.get('staff')!.account.role }) as Booker & { role: never };

/** What the panel shows besides the appointment: a change done, or one refused (and what was typed). */
export interface PanelState {
  done?: PanelDone | undefined;
  error?: PanelError | undefined;
  typed?: PanelTyped | undefined;
}

/** The calendar's panel of one appointment (its read audited), after a change or with its refusal. */
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
        dateOfBirth: birthDate(patient.dateOfBirth),
        ...patientContact(patient),
        tel: patient.phone,
      },
      practitioner: practitioners.find((p) => p.id === a.practitionerId)?.name ?? '—',
      practitionerId: a.practitionerId,
      service: services.find((s) => s.id === a.serviceId)?.name ?? '—',
      // In the clinic's time zone, which it does not name: every time on staff pages is in it.
      when: `${start.toLocaleString(WHEN)} (${minutes} min)`,
      date: start.toISODate()!,
      time: start.toFormat('HH:mm'),
      cancelledBy: a.cancelledBy,
      cancelReason: a.cancelReason,
      reason: a.visitReason,
      lateCancel: a.lateCancel,
      inSeries: a.seriesId !== null,
      note: await noteLink(c, a),
      billing: (await appointmentBilling(deps, c, [a])).get(a.id),
    };
  }

  /**
   * "Open note" when a note was written for the appointment (clinical readers), else "Write note"
   * for members who write notes (not on a cancelled appointment); nothing for the front desk or
   * a practitioner the clinic's setting keeps from this patient's notes.
   */
  async function noteLink(
    c: Context<AppEnv>,
    a: { id: string; patientId: string; status: string },
  ): Promise<AppointmentDetails['note']> {
    const role = c.get('staff')!.account.role;
    if (!can(role, 'clinical.read')) return undefined;
    const found = await deps.notes.ofAppointment(actorOf(c), a.id).catch((error: unknown) => {
      if (isAppError(error) && error.status === 403) return null;
      throw error;
    });
    if (!found) return undefined;
    const notes = `/staff/patients/${encodeURIComponent(a.patientId)}/notes`;
    if (found.note) return { href: `${notes}/${encodeURIComponent(found.note.id)}`, label: 'Open note' };
    if (!can(role, 'clinical.write') || a.status === 'cancelled') return undefined;
    return { href: `${notes}/for-appointment/${encodeURIComponent(a.id)}`, label: 'Write note' };
  }

  return async (c: Context<AppEnv>, id: string, state: PanelState = {}) => {
    // The panel names whoever the appointment is with; Move offers only whom the member may book.
    const named = (list: { id: string; name: string }[]) => list.map((p) => ({ id: p.id, name: p.name }));
    const [everyone, offered] = await Promise.all([calendar.bookable(), calendar.bookableBy(c)]);
    return (
      <AppointmentPanel
        a={await details(c, id, named(everyone))}
        csrf={c.get('csrf')}
        practitioners={named(offered)}
        canChange={calendar.canBook(c)}
        {...state}
      />
    );
  };
}
