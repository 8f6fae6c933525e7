import { type Context, Hono } from 'hono';
import { ClinicSettingsPage } from '../../../views/pages/staff/settings.tsx';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((tz) => tz !== 'UTC')];

/** `/staff/settings` (admins): the clinic's profile, time zone and booking policy defaults. */
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

  app.get('/', authorize('settings.manage'), (c) => page(c));

  app.post('/', authorize('settings.manage'), async (c) => {
    const form = await readForm(c);
    const quiet = { start: form.text('quietStart'), end: form.text('quietEnd') };
    // As typed: the domain's schema reads the numbers (and names a field left out).
    const input = {
      name: form.optional('name'),
      timeZone: form.optional('timeZone'),
      locale: form.optional('locale'),
      address: form.text('address'),
      phone: form.text('phone'),
      minNoticeMinutes: form.optional('minNoticeMinutes'),
      horizonDays: form.optional('horizonDays'),
      cancellationWindowHours: form.optional('cancellationWindowHours'),
      selfBooking: form.checked('selfBooking'),
      selfRegistration: form.checked('selfRegistration'),
      reminderHours: form
        .text('reminderHours')
        .split(/[,;\s]+/)
        .filter(Boolean),
      // Both empty: no quiet hours.
      smsQuietHours: quiet.start || quiet.end ? quiet : null,
      openBookingsPerPatient: form.optional('openBookingsPerPatient'),
      dependentsPerGuardian: form.optional('dependentsPerGuardian'),
      notesOfSeenPatientsOnly: form.checked('notesOfSeenPatientsOnly'),
      retentionYears: form.optional('retentionYears'),
    };
    return orRerender(
      async () => {
        await deps.clinic.update(actorOf(c), input);
        return redirect(c, '/staff/settings?notice=saved');
      },
      (r) => page(c, { values: input, errors: r.fields }),
    );
  });
  return app;
}
