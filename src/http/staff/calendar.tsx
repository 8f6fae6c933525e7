import { type Context, Hono } from 'hono';
import { DateTime } from 'luxon';
import {
  type AppointmentDetails,
  AppointmentPanel,
  BookingForm,
  type BookingFormValues,
  PatientChoices,
} from '../../../views/pages/staff/appointment.tsx';
import {
  type CalendarBlock,
  CalendarPage,
  type CalendarProps,
} from '../../../views/pages/staff/calendar.tsx';
import { can } from '../../domain/accounts/index.ts';
import {
  type AppointmentStatus,
  appointmentStatuses,
  type Booker,
  calendarDocument,
} from '../../domain/scheduling/index.ts';
import { isAppError, notFound, validationFailed } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The message after a redirect: `booked`, or `series-<booked>-<clashes>`. */
function noticeOf(code: string, clashes: string[]): string | undefined {
  if (code === 'booked') return 'The appointment is booked.';
  const m = /^series-(\d+)-(\d+)$/.exec(code);
  if (!m) return undefined;
  const taken = clashes.length ? ` Not booked, the time was taken: ${clashes.join('; ')}.` : '';
  return `${m[1]} appointments booked.${taken}`;
}
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The staff calendar: day and week views, the appointment panel (status, move, cancel), booking
 * into a free time with patient search-as-you-type, and the .ics of one appointment. Panels are
 * htmx fragments (full pages without JavaScript); every change goes through the appointments
 * service, so the calendar has the API's guarantees (no double booking, stale versions refused).
 */
export function staffCalendarRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const isHtmx = (c: Context<AppEnv>) => Boolean(c.req.header('hx-request'));
  const booker = (c: Context<AppEnv>): Booker & { role: never } =>
    ({ actor: actorOf(c), role: c.get('staff')!.account.role }) as Booker & { role: never };
  const canBook = (c: Context<AppEnv>) => can(c.get('staff')!.account.role, 'appointments.book-own');

  const bookable = async () =>
    (await deps.practitioners.list())
      .filter((p) => p.profile)
      .map((p) => ({
        id: p.accountId,
        name: p.profile!.displayName,
        serviceIds: p.serviceIds,
        weekly: p.weekly,
      }));

  async function calendarProps(c: Context<AppEnv>, panel?: CalendarProps['panel']): Promise<CalendarProps> {
    const clinic = await deps.clinic.get();
    const zone = clinic.timeZone;
    const view = c.req.query('view') === 'week' ? 'week' : 'day';
    const today = DateTime.fromJSDate(deps.clock.now(), { zone }).startOf('day');
    const asked = c.req.query('date') ?? '';
    const parsed = DATE.test(asked) ? DateTime.fromISO(asked, { zone }) : today;
    const date = parsed.isValid ? parsed.startOf('day') : today;
    const first = view === 'week' ? date.startOf('week') : date;
    const count = view === 'week' ? 7 : 1;
    const days = Array.from({ length: count }, (_, i) => first.plus({ days: i }));
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
    const entries = await deps.appointments.listRange(actorOf(c), {
      from: first.toJSDate(),
      to: first.plus({ days: count }).toJSDate(),
      practitionerIds: practitioners.map((p) => p.id),
    });
    const blocks: CalendarBlock[] = entries.map(({ appointment: a, patient, service }) => {
      const start = DateTime.fromJSDate(a.startAt, { zone });
      const end = DateTime.fromJSDate(a.endAt, { zone });
      const startMin = start.hour * 60 + start.minute;
      const sameDay = end.toISODate() === start.toISODate();
      return {
        id: a.id,
        practitionerId: a.practitionerId,
        date: start.toISODate()!,
        startMin,
        endMin: sameDay ? end.hour * 60 + end.minute : 24 * 60,
        time: start.toFormat('HH:mm'),
        patient: `${patient.firstName} ${patient.lastName}`,
        service: service.name,
        status: a.status,
      };
    });
    // The rows span the working hours of the days shown, widened to any appointment outside them.
    const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    const minutes = [
      ...practitioners.flatMap((p) =>
        days.flatMap((d) => (p.weekly[d.weekday as 1] ?? []).flatMap((w) => [toMin(w.start), toMin(w.end)])),
      ),
      ...blocks.flatMap((b) => [b.startMin, b.endMin]),
    ];
    const fromMin = Math.floor(Math.min(8 * 60, ...minutes) / 60) * 60;
    const lastMin = Math.min(24 * 60, Math.ceil(Math.max(18 * 60, ...minutes) / 60) * 60);
    const only = chosen.length ? chosen.map((p) => `&practitioner=${p.id}`).join('') : '';
    const link = (d: DateTime, v = view) => `/staff/calendar?view=${v}&date=${d.toISODate()}${only}`;
    const step = view === 'week' ? { weeks: 1 } : { days: 1 };
    const locale = clinic.locale;
    return {
      nav: { ...kit.nav(c), current: '/staff/calendar' },
      view,
      title:
        view === 'week'
          ? `Week of ${first.setLocale(locale).toLocaleString(DateTime.DATE_MED)}`
          : date.setLocale(locale).toLocaleString(DateTime.DATE_HUGE),
      date: date.toISODate()!,
      days: days.map((d) => ({ date: d.toISODate()!, label: d.setLocale(locale).toFormat('ccc d LLL') })),
      practitioners: practitioners.map((p) => ({ id: p.id, name: p.name })),
      allPractitioners: all.map((p) => ({ id: p.id, name: p.name })),
      selected: practitioners.map((p) => p.id),
      fromMin,
      toMin: lastMin,
      blocks,
      links: {
        prev: link(date.minus(step)),
        next: link(date.plus(step)),
        today: link(today),
        day: link(date, 'day'),
        week: link(date, 'week'),
      },
      canBook: canBook(c),
      panel,
      notice: noticeOf(
        c.req.query('notice') ?? '',
        (c.req.queries('clash') ?? []).map((iso) =>
          DateTime.fromISO(iso, { zone })
            .setLocale(locale)
            .toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY),
        ),
      ),
    };
  }

  /** A panel: the fragment for htmx, else the calendar page with the panel open. */
  const respondPanel = async (c: Context<AppEnv>, panel: CalendarProps['panel'], status = 200) => {
    if (isHtmx(c)) return c.html(<>{panel}</>, status as 200);
    return c.html(<CalendarPage {...(await calendarProps(c, panel))} />, status as 200);
  };

  async function details(
    c: Context<AppEnv>,
    id: string,
    practitioners: { id: string; name: string }[],
  ): Promise<AppointmentDetails> {
    const clinic = await deps.clinic.get();
    const a = await deps.appointments.get(booker(c), id);
    const [patient, services] = await Promise.all([
      deps.patients.get(actorOf(c), a.patientId),
      deps.services.list(),
    ]);
    const start = DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone }).setLocale(clinic.locale);
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
      when: `${start.toLocaleString(DateTime.DATETIME_HUGE)} (${Math.round((a.endAt.getTime() - a.startAt.getTime()) / 60_000)} min)`,
      date: start.toISODate()!,
      time: start.toFormat('HH:mm'),
      cancelledBy: a.cancelledBy,
      cancelReason: a.cancelReason,
      lateCancel: a.lateCancel,
      inSeries: a.seriesId !== null,
    };
  }

  const panelOf = async (c: Context<AppEnv>, id: string, error?: string) => {
    const practitioners = (await bookable()).map((p) => ({ id: p.id, name: p.name }));
    return (
      <AppointmentPanel
        a={await details(c, id, practitioners)}
        csrf={c.get('csrf')}
        practitioners={practitioners}
        canChange={canBook(c)}
        error={error}
      />
    );
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

  /** An expected refusal (taken, stale, invalid) is shown in the panel; anything else propagates. */
  const refusal = (e: unknown): { message: string; status: number } | null => {
    if (!isAppError(e) || e.status >= 500 || e.status === 403) return null;
    const detail = e.issues?.map((i) => i.message).join(' ');
    return { message: detail || e.message, status: e.status };
  };

  app.get('/staff/calendar', authorize('patients.read'), async (c) =>
    c.html(<CalendarPage {...(await calendarProps(c))} />),
  );

  app.get('/staff/calendar/new', authorize('appointments.book-own'), async (c) => {
    const q = c.req.query();
    const practitioners = await bookable();
    const practitioner = practitioners.find((p) => p.id === q.practitionerId) ?? practitioners[0];
    const services = (await deps.services.list()).filter((s) => s.active);
    const offered = services.filter((s) => practitioner?.serviceIds.includes(s.id));
    const values: BookingFormValues = {
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
    };
    return respondPanel(
      c,
      <BookingForm
        csrf={c.get('csrf')}
        values={values}
        practitioners={practitioners}
        services={offered.length ? offered : services}
      />,
    );
  });

  app.get('/staff/patients/search', authorize('patients.read'), async (c) => {
    const q = c.req.query('q') ?? '';
    const found = await deps.patients.search(actorOf(c), q);
    return c.html(
      <PatientChoices
        query={q}
        patients={found.map((p) => ({
          id: p.id,
          label: `${p.firstName} ${p.lastName} (born ${p.dateOfBirth})`,
        }))}
      />,
    );
  });

  app.post('/staff/appointments', authorize('appointments.book-own'), async (c) => {
    const b = await c.req.parseBody();
    const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
    const values: BookingFormValues = {
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
    try {
      const start = await instantOf(values.date, values.time);
      let patientId = values.patientId;
      if (!patientId) {
        if (!values.firstName && !values.lastName) {
          throw validationFailed([{ path: 'patientId', message: 'Find a patient, or add a new one.' }]);
        }
        // A new patient and the booking: the patient is kept even if the time was just taken.
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
      const zone = (await deps.clinic.get()).timeZone;
      const dayOf = (iso: string) => DateTime.fromISO(iso, { zone }).toISODate();
      if (values.count) {
        const series = await deps.appointments.bookSeries(booker(c), {
          ...request,
          everyWeeks: values.everyWeeks || '1',
          count: values.count,
        } as never);
        const notice = `series-${series.created.length}-${series.conflicts.length}`;
        const clashes = series.conflicts.map((x) => `&clash=${encodeURIComponent(x.start)}`).join('');
        return redirect(
          c,
          `/staff/calendar?view=day&date=${dayOf(start.toISOString())}&notice=${notice}${clashes}`,
        );
      }
      const { appointment } = await deps.appointments.book(booker(c), request);
      return redirect(
        c,
        `/staff/calendar?view=day&date=${dayOf(appointment.start)}&notice=booked#appt-${appointment.id}`,
      );
    } catch (e) {
      const r = refusal(e);
      if (!r) throw e;
      const practitioners = await bookable();
      const services = (await deps.services.list()).filter((s) => s.active);
      return respondPanel(
        c,
        <BookingForm
          csrf={c.get('csrf')}
          values={values}
          practitioners={practitioners}
          services={services}
          error={r.message}
        />,
        r.status,
      );
    }
  });

  app.get('/staff/appointments/:id', authorize('patients.read'), async (c) =>
    respondPanel(c, await panelOf(c, c.req.param('id'))),
  );

  // The practitioner's feed: the secret token in the URL is the credential (calendar apps send no cookies).
  app.get('/ical/:file', authorize('public'), async (c) => {
    const file = c.req.param('file');
    const body = file.endsWith('.ics')
      ? await deps.calendarFeeds.render(file.slice(0, -4), actorOf(c, null))
      : null;
    if (body === null) throw notFound('That calendar');
    return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'no-store' });
  });

  app.get('/staff/appointments/:id/calendar.ics', authorize('patients.read'), async (c) => {
    const a = await deps.appointments.get(booker(c), c.req.param('id'));
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

  /** Runs one change from the panel; afterwards the calendar reloads (htmx) or the page redirects. */
  const change = (
    path: string,
    run: (
      c: Context<AppEnv>,
      form: Record<string, string>,
      version: number | undefined,
    ) => Promise<{ start: string }>,
  ) =>
    app.post(path, authorize('appointments.book-own'), async (c) => {
      const id = c.req.param('id')!;
      const raw = await c.req.parseBody();
      const form = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >;
      const version = /^\d+$/.test(form.version ?? '') ? Number(form.version) : undefined;
      try {
        const result = await run(c, form, version);
        if (form.back === 'today') return redirect(c, '/staff');
        const zone = (await deps.clinic.get()).timeZone;
        const day = DateTime.fromISO(result.start, { zone }).toISODate();
        return redirect(c, `/staff/calendar?view=day&date=${day}#appt-${id}`);
      } catch (e) {
        const r = refusal(e);
        if (!r) throw e;
        return respondPanel(c, await panelOf(c, id, r.message), r.status);
      }
    });

  change('/staff/appointments/:id/status', async (c, form, version) => {
    const status = appointmentStatuses.find((s) => s === form.status) as AppointmentStatus | undefined;
    if (!status) throw validationFailed([{ path: 'status', message: 'Choose a status.' }]);
    return deps.appointments.setStatus(booker(c), c.req.param('id')!, status, version);
  });
  change('/staff/appointments/:id/move', async (c, form, version) =>
    deps.appointments.move(booker(c), c.req.param('id')!, {
      start: (await instantOf(form.date ?? '', form.time ?? '')).toISOString(),
      ...(form.practitionerId ? { practitionerId: form.practitionerId } : {}),
      ...(version ? { version } : {}),
    }),
  );
  change('/staff/appointments/:id/cancel', async (c, form, version) =>
    deps.appointments.cancel(booker(c), c.req.param('id')!, {
      by: form.by === 'clinic' ? 'clinic' : 'patient',
      reason: form.reason ?? '',
      scope: form.scope === 'following' ? 'following' : 'one',
      ...(version ? { version } : {}),
    }),
  );

  return app;
}
