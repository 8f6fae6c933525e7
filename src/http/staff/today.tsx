import type { Context } from 'hono';
import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { type ArrivalError, TodayPage } from '../../../views/pages/staff/today.tsx';
import { can } from '../../domain/accounts/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { appointmentBilling, proposedFees } from './invoice-pages.tsx';
import { notesToFinishView } from './today-notes.tsx';

/**
 * Today, every member's start page: the day's appointments (practitioners: their own). Also the
 * answer to an arrival marked on it (`/staff/appointments/:id/status` with `back=today`): the page
 * again, from which htmx takes the list in place, so the member stays where they were.
 */
export function todayPages(deps: HttpDeps, kit: RouteKit) {
  return async (c: Context<AppEnv>, error?: ArrivalError, status = 200) => {
    const clinic = await deps.clinic.get();
    const day = DateTime.fromJSDate(deps.clock.now(), { zone: clinic.timeZone }).startOf('day');
    const account = c.get('staff')!.account;
    const seesDay = can(account.role, 'patients.read');
    const writesNotes = can(account.role, 'clinical.write');
    const notesToFinish = notesToFinishView(deps, c, clinic);
    const [entries, practitioners] = seesDay
      ? await Promise.all([
          deps.appointments.listRange(actorOf(c), {
            from: day.toJSDate(),
            to: day.plus({ days: 1 }).toJSDate(),
            // Practitioners see their own list; the front desk and admins see everyone's.
            ...(account.role === 'practitioner' ? { practitionerIds: [account.id] } : {}),
          }),
          deps.practitioners.list(),
        ])
      : [[], []];
    const [billing, fees] = await Promise.all([
      appointmentBilling(
        deps,
        c,
        entries.map((e) => e.appointment),
      ),
      proposedFees(deps, c),
    ]);
    const nameOf = new Map(practitioners.map((p) => [p.accountId, p.profile?.displayName ?? p.name]));
    return c.html(
      TodayPage({
        nav: { ...kit.nav(c), current: '/staff' },
        date: day.setLocale(clinic.locale).toLocaleString(DateTime.DATE_HUGE),
        canChange: can(account.role, 'appointments.book-own'),
        error,
        notesToFinish: await notesToFinish,
        fees,
        appointments: entries.map(({ appointment: a, patient, service }) => ({
          id: a.id,
          version: a.version,
          time: DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone }).toFormat('HH:mm'),
          patient: `${patient.firstName} ${patient.lastName}`,
          practitioner: nameOf.get(a.practitionerId) ?? '—',
          service: service.name,
          status: a.status,
          // The practitioner's own appointments: the appointment's note (opened, or started with the
          // service's template), as from the calendar's panel.
          noteHref:
            writesNotes && a.practitionerId === account.id && a.status !== 'cancelled'
              ? `/staff/patients/${a.patientId}/notes/for-appointment/${a.id}`
              : undefined,
          billing: billing.get(a.id),
        })),
      }),
      status as 200,
    );
  };
}

/** `/staff`: Today. */
export function staffTodayRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const today = todayPages(deps, kit);
  app.get('/', kit.authorize('staff'), (c) => today(c));
  return app;
}
