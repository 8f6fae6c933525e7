import { type Context, Hono } from 'hono';
import { DateTime } from 'luxon';
import { AvailabilityPage } from '../../../../views/pages/staff/settings/availability.tsx';
import { type FormFields, readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

/** `/staff/settings/availability` (admins): time off, closures, extra hours and rooms. Bad input re-renders with the reason. */
export function staffAvailabilityRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const admin = deps.availabilityAdmin;

  const page = async (c: Context<AppEnv>, error?: string) => {
    const { timeZone, locale } = await deps.clinic.get();
    const practitioners = (await deps.practitioners.list())
      .filter((p) => p.profile)
      .map((p) => ({ id: p.accountId, name: p.profile!.displayName }));
    const nameOf = (id: string) => practitioners.find((p) => p.id === id)?.name ?? '—';
    const local = (d: Date) =>
      DateTime.fromJSDate(d, { zone: timeZone }).setLocale(locale).toLocaleString(DateTime.DATETIME_MED);
    const [timeOff, closures, extraHours, rooms] = await Promise.all([
      admin.listTimeOff(),
      admin.listClosures(),
      admin.listExtraHours(),
      admin.listRooms(),
    ]);
    return c.html(
      AvailabilityPage({
        nav: kit.nav(c),
        practitioners,
        timeOff: timeOff.map((o) => ({
          id: o.id,
          who: nameOf(o.practitionerId),
          from: local(o.startAt),
          to: local(o.endAt),
          reason: o.reason,
        })),
        closures,
        extraHours: extraHours.map((x) => ({
          id: x.id,
          who: nameOf(x.practitionerId),
          date: x.date,
          start: x.startTime,
          end: x.endTime,
        })),
        rooms,
        error,
      }),
      error ? 422 : 200,
    );
  };

  /** Runs one change; a refusal (422) is shown on the page, anything else propagates. */
  const change = (path: string, run: (c: Context<AppEnv>, form: FormFields) => Promise<void>) =>
    app.post(path, authorize('settings.manage'), async (c) => {
      const form = await readForm(c);
      return orRerender(
        async () => {
          await run(c, form);
          return redirect(c, '/staff/settings/availability');
        },
        (r) => page(c, r.message),
        (e) => e.status === 422,
      );
    });
  /** The form's filled-in fields, as the domain reads them (an empty field is one left out). */
  const filled = (form: FormFields) => form.fields({ nonEmpty: true }) as never;

  app.get('/', authorize('settings.manage'), (c) => page(c));
  change('/time-off', (c, f) => admin.addTimeOff(actorOf(c), filled(f)));
  change('/time-off/:id/remove', (c) => admin.removeTimeOff(actorOf(c), c.req.param('id')!));
  change('/closures', (c, f) => admin.addClosure(actorOf(c), filled(f)));
  change('/closures/:date/remove', (c) => admin.removeClosure(actorOf(c), c.req.param('date')!));
  change('/extra-hours', (c, f) => admin.addExtraHours(actorOf(c), filled(f)));
  change('/extra-hours/:id/remove', (c) => admin.removeExtraHours(actorOf(c), c.req.param('id')!));
  change('/rooms', (c, f) =>
    admin.addRoom(actorOf(c), { name: f.text('name'), isDefault: f.checked('isDefault') }),
  );
  change('/rooms/:id/default', (c) => admin.setDefaultRoom(actorOf(c), c.req.param('id')!));
  change('/rooms/:id/archive', (c) => admin.archiveRoom(actorOf(c), c.req.param('id')!));
  return app;
}
