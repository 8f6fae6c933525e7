import { type Context, Hono } from 'hono';
import { DateTime } from 'luxon';
import { AvailabilityPage } from '../../../views/pages/staff/availability.tsx';
import { isAppError } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** Settings → time off, closures, extra hours and rooms (admins). Bad input re-renders with the reason. */
export function staffAvailabilityRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const base = '/staff/settings/availability';
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

  /** Runs one change; a validation error is shown on the page, anything else propagates. */
  const change = (path: string, run: (c: Context<AppEnv>, form: Record<string, string>) => Promise<void>) =>
    app.post(path, authorize('settings.manage'), async (c) => {
      const raw = await c.req.parseBody();
      const form = Object.fromEntries(
        Object.entries(raw).filter(([, v]) => typeof v === 'string' && v !== ''),
      ) as Record<string, string>;
      try {
        await run(c, form);
      } catch (e) {
        if (isAppError(e) && e.status === 422)
          return page(c, e.issues?.map((i) => i.message).join(' ') || e.message);
        throw e;
      }
      return redirect(c, base);
    });

  app.get(base, authorize('settings.manage'), (c) => page(c));
  change(`${base}/time-off`, (c, f) => admin.addTimeOff(actorOf(c), f as never));
  change(`${base}/time-off/:id/remove`, (c) => admin.removeTimeOff(actorOf(c), c.req.param('id')!));
  change(`${base}/closures`, (c, f) => admin.addClosure(actorOf(c), f as never));
  change(`${base}/closures/:date/remove`, (c) => admin.removeClosure(actorOf(c), c.req.param('date')!));
  change(`${base}/extra-hours`, (c, f) => admin.addExtraHours(actorOf(c), f as never));
  change(`${base}/extra-hours/:id/remove`, (c) => admin.removeExtraHours(actorOf(c), c.req.param('id')!));
  change(`${base}/rooms`, (c, f) =>
    admin.addRoom(actorOf(c), { name: f.name ?? '', isDefault: f.isDefault === 'on' }),
  );
  change(`${base}/rooms/:id/default`, (c) => admin.setDefaultRoom(actorOf(c), c.req.param('id')!));
  change(`${base}/rooms/:id/archive`, (c) => admin.archiveRoom(actorOf(c), c.req.param('id')!));
  return app;
}
