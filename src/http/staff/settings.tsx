import { type Context, Hono } from 'hono';
import { ClinicSettingsPage } from '../../../views/pages/staff/settings.tsx';
import { isAppError } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** Clinic settings (admins): profile, time zone, booking policy defaults. */
const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((tz) => tz !== 'UTC')];

export function staffSettingsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();

  const page = async (
    c: Context<AppEnv>,
    form?: { values: Record<string, unknown>; errors: Record<string, string> },
  ) =>
    c.html(
      ClinicSettingsPage({
        nav: kit.nav(c),
        timeZones,
        values: (form?.values ?? (await deps.clinic.get())) as never,
        ...(form ? { errors: form.errors } : {}),
        notice: c.req.query('notice') === 'saved' ? 'Settings saved.' : undefined,
      }),
      form ? 422 : 200,
    );

  app.get('/staff/settings', authorize('settings.manage'), (c) => page(c));

  app.post('/staff/settings', authorize('settings.manage'), async (c) => {
    const body = await c.req.parseBody();
    const input = {
      name: body.name,
      timeZone: body.timeZone,
      locale: body.locale,
      address: body.address ?? '',
      phone: body.phone ?? '',
      minNoticeMinutes: body.minNoticeMinutes,
      horizonDays: body.horizonDays,
      cancellationWindowHours: body.cancellationWindowHours,
      selfBooking: body.selfBooking === 'on',
      selfRegistration: body.selfRegistration === 'on',
      reminderHours: String(body.reminderHours ?? '')
        .split(/[,;\s]+/)
        .filter(Boolean),
      // Both empty: no quiet hours.
      smsQuietHours:
        String(body.quietStart ?? '') || String(body.quietEnd ?? '')
          ? { start: String(body.quietStart ?? ''), end: String(body.quietEnd ?? '') }
          : null,
    };
    try {
      await deps.clinic.update(actorOf(c), input);
    } catch (e) {
      if (isAppError(e) && e.code === 'validation_failed') {
        const errors = Object.fromEntries(
          (e.issues ?? []).map((i) => [i.path.replace(/\.\d+$/, '').replace(/\..*$/, ''), i.message]),
        );
        return page(c, { values: input, errors });
      }
      throw e;
    }
    return redirect(c, '/staff/settings?notice=saved');
  });
  return app;
}
