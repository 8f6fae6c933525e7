import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { DateTime } from 'luxon';
import { CalendarPage, type CalendarProps } from '../../../views/pages/staff/calendar.tsx';
import type { CalendarAppointment } from '../../../views/pages/staff/calendar-layout.ts';
import { can } from '../../domain/accounts/index.ts';
import type { Weekday } from '../../domain/scheduling/index.ts';
import { validationFailed } from '../../lib/errors.ts';
import { type LocalTime, zonedClock } from '../../lib/zoned-clock.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { type CalendarDay, calendarDays } from './calendar-days.ts';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The message after a redirect: `booked`, or `series-<booked>-<clashes>`. */
function noticeOf(code: string, clashes: string[]): string | undefined {
  if (code === 'booked') return 'The appointment is booked.';
  const m = /^series-(\d+)-(\d+)$/.exec(code);
  if (!m) return undefined;
  const taken = clashes.length ? ` Not booked, the time was taken: ${clashes.join('; ')}.` : '';
  return `${m[1]} appointments booked.${taken}`;
}

type Entry = Awaited<ReturnType<HttpDeps['appointments']['listGrid']>>[number];

/** One appointment as the calendar grid draws it, in the clinic's zone (`local`: its clock). */
function gridEntry(a: Entry, local: (d: Date) => LocalTime): CalendarAppointment {
  const start = local(a.startAt);
  const end = local(a.endAt);
  return {
    id: a.id,
    version: a.version,
    practitionerId: a.practitionerId,
    date: start.date,
    time: start.time,
    end: end.date === start.date ? end.time : null,
    patient: `${a.patient.firstName} ${a.patient.lastName}`,
    service: a.serviceName,
    status: a.status,
  };
}

/**
 * The grid's entries as drawn, kept per loaded list: on SQLite the domain answers the same array
 * until an appointment, service or patient changes (its versioned read), and the view then keeps
 * the grid's layout and HTML for it too (views/pages/staff/calendar.tsx).
 */
const drawnEntries = new WeakMap<Entry[], { zone: string; appointments: CalendarAppointment[] }>();

function gridEntries(entries: Entry[], zone: string): CalendarAppointment[] {
  const drawn = drawnEntries.get(entries);
  if (drawn?.zone === zone) return drawn.appointments;
  const local = zonedClock(zone);
  const appointments = entries.map((e) => gridEntry(e, local));
  drawnEntries.set(entries, { zone, appointments });
  return appointments;
}

/**
 * Whether the week view shows this day: Monday to Friday, and Saturday and Sunday when the clinic
 * opens then (someone works that weekday) or something is booked then.
 */
function weekShows(
  d: CalendarDay,
  practitioners: { weekly: Partial<Record<Weekday, unknown[]>> }[],
  appointments: CalendarAppointment[],
): boolean {
  return (
    d.weekday <= 5 ||
    practitioners.some((p) => (p.weekly[d.weekday] ?? []).length > 0) ||
    appointments.some((a) => a.date === d.date)
  );
}

/**
 * What the calendar's pages share (`/staff/calendar` and the appointment panels of
 * `/staff/appointments`): the bookable practitioners, the calendar page's props for the date and
 * view asked for, and answering a panel — the fragment for htmx, else the whole calendar page
 * with the panel open.
 */
export function calendarPages(deps: HttpDeps, kit: RouteKit) {
  const bookable = async () =>
    (await deps.practitioners.list())
      .filter((p) => p.profile)
      .map((p) => ({
        id: p.accountId,
        name: p.profile!.displayName,
        colour: p.profile!.colour,
        serviceIds: p.serviceIds,
        weekly: p.weekly,
      }));
  const canBook = (c: Context<AppEnv>) => can(c.get('staff')!.account.role, 'appointments.book-own');
  /** Whether the member may book for (and move appointments of) this practitioner: the domain's rule. */
  const mayBookFor = (c: Context<AppEnv>, practitionerId: string) => {
    const { account } = c.get('staff')!;
    return (
      can(account.role, 'appointments.book-any') ||
      (can(account.role, 'appointments.book-own') && account.id === practitionerId)
    );
  };
  /** The practitioners the member may book for: everyone, or their own calendar. */
  const bookableBy = async (c: Context<AppEnv>) => (await bookable()).filter((p) => mayBookFor(c, p.id));

  async function props(c: Context<AppEnv>, panel?: Child): Promise<CalendarProps> {
    const clinic = await deps.clinic.get();
    const { timeZone: zone, locale } = clinic;
    const view = c.req.query('view') === 'week' ? 'week' : 'day';
    // Calendar dates are counted as plain dates (UTC, no offsets asked of Intl); the zone is
    // asked only for today and for the instants the range starts and ends at.
    const today = DateTime.fromISO(zonedClock(zone)(deps.clock.now()).date, { zone: 'utc' });
    const asked = c.req.query('date') ?? '';
    const parsed = DATE.test(asked) ? DateTime.fromISO(asked, { zone: 'utc' }) : today;
    const date = parsed.isValid ? parsed : today;
    const first = view === 'week' ? date.startOf('week') : date;
    const count = view === 'week' ? 7 : 1;
    const instant = (d: DateTime) => DateTime.fromISO(d.toISODate()!, { zone }).toJSDate();
    const all = await bookable();
    // The week shows one practitioner's days side by side (the member's own calendar, else the
    // first); the day shows everyone. `?practitioner=` narrows either.
    const filter = c.req.queries('practitioner') ?? [];
    const self = c.get('staff')!.account.id;
    const chosen = all.filter((p) => filter.includes(p.id));
    const practitioners = chosen.length
      ? chosen
      : view === 'week'
        ? all.filter((p) => p.id === (all.some((q) => q.id === self) ? self : all[0]?.id))
        : all;
    const entries = await deps.appointments.listGrid(actorOf(c), {
      from: instant(first),
      to: instant(first.plus({ days: count })),
      practitionerIds: practitioners.map((p) => p.id),
    });
    const appointments = gridEntries(entries, zone);
    const days = calendarDays(first.toISODate()!, count, locale).filter(
      (d) => view === 'day' || weekShows(d, all, appointments),
    );
    const only = chosen.length ? chosen.map((p) => `&practitioner=${p.id}`).join('') : '';
    const link = (d: DateTime, v = view) => `/staff/calendar?view=${v}&date=${d.toISODate()}${only}`;
    const step = view === 'week' ? { weeks: 1 } : { days: 1 };
    const clashes = (c.req.queries('clash') ?? []).map((iso) =>
      DateTime.fromISO(iso, { zone }).setLocale(locale).toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY),
    );
    return {
      nav: { ...kit.nav(c), current: '/staff/calendar' },
      view,
      title:
        view === 'week'
          ? `Week of ${first.setLocale(locale).toLocaleString(DateTime.DATE_MED)}`
          : date.setLocale(locale).toLocaleString(DateTime.DATE_HUGE),
      date: date.toISODate()!,
      days: days.map((d) => ({ date: d.date, label: d.label })),
      practitioners: practitioners.map((p) => ({ id: p.id, name: p.name, colour: p.colour })),
      allPractitioners: all.map((p) => ({ id: p.id, name: p.name })),
      selected: practitioners.map((p) => p.id),
      appointments,
      hours: practitioners.flatMap((p) => days.flatMap((d) => p.weekly[d.weekday] ?? [])),
      links: {
        prev: link(date.minus(step)),
        next: link(date.plus(step)),
        today: link(today),
        day: link(date, 'day'),
        week: link(date, 'week'),
      },
      canBook: canBook(c),
      bookable: all.filter((p) => mayBookFor(c, p.id)).map((p) => p.id),
      panel,
      notice: noticeOf(c.req.query('notice') ?? '', clashes),
    };
  }

  /** A panel: the fragment for htmx, else the calendar page with the panel open. */
  const respond = async (c: Context<AppEnv>, panel: Child, status = 200) => {
    if (c.req.header('hx-request')) return c.html(<>{panel}</>, status as 200);
    return c.html(<CalendarPage {...(await props(c, panel))} />, status as 200);
  };

  /** Local date and time in the clinic's zone → the instant; a clear error when invalid. */
  const instantOf = async (date: string, time: string): Promise<Date> => {
    const zone = (await deps.clinic.get()).timeZone;
    const dt = DateTime.fromISO(`${date}T${time}`, { zone });
    if (!DATE.test(date) || !TIME.test(time) || !dt.isValid) {
      throw validationFailed([{ path: 'start', message: 'Enter a date and a time.' }]);
    }
    return dt.toJSDate();
  };

  /** The calendar day (in the clinic's zone) of an instant, as the calendar's link wants it. */
  const dayOf = async (iso: string) =>
    DateTime.fromISO(iso, { zone: (await deps.clinic.get()).timeZone }).toISODate();

  return { bookable, bookableBy, canBook, mayBookFor, props, respond, instantOf, dayOf };
}

export type CalendarPages = ReturnType<typeof calendarPages>;
