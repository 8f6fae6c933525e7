import { type Context, Hono } from 'hono';
import {
  type PractitionerFormValues,
  PractitionerPage,
  PractitionersPage,
} from '../../../../views/pages/staff/settings/practitioners.tsx';
import { type PractitionerView, weekdays } from '../../../domain/scheduling/index.ts';
import { readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

const valuesOf = (p: PractitionerView): PractitionerFormValues => ({
  displayName: p.profile?.displayName ?? p.name,
  title: p.profile?.title ?? '',
  bio: p.profile?.bio ?? '',
  colour: p.profile?.colour ?? '#3366cc',
  bookableOnline: p.profile?.bookableOnline ?? false,
  serviceIds: p.serviceIds,
  hours: Object.fromEntries(
    weekdays.map((d) => [String(d), p.weekly[d].map((i) => `${i.start}-${i.end}`).join(', ')]),
  ),
});

/** `/staff/settings/practitioners` (admins): profile, services offered and weekly hours. */
export function staffPractitionersRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const page = async (
    c: Context<AppEnv>,
    p: PractitionerView,
    values: PractitionerFormValues,
    errors?: string,
  ) =>
    c.html(
      PractitionerPage({
        nav: kit.nav(c),
        accountId: p.accountId,
        name: p.name,
        values,
        services: (await deps.services.list())
          .filter((s) => s.active)
          .map((s) => ({ id: s.id, name: s.name })),
        errors,
        notice: c.req.query('notice') === 'saved' ? 'Saved.' : undefined,
      }),
      errors ? 422 : 200,
    );

  app.get('/', authorize('settings.manage'), async (c) => {
    const rows = (await deps.practitioners.list()).map((p) => ({
      accountId: p.accountId,
      name: p.name,
      displayName: p.profile?.displayName ?? null,
      bookableOnline: p.profile?.bookableOnline ?? false,
      services: p.serviceIds.length,
    }));
    return c.html(PractitionersPage({ nav: kit.nav(c), rows }));
  });

  app.get('/:id', authorize('settings.manage'), async (c) => {
    const p = await deps.practitioners.get(c.req.param('id'));
    return page(c, p, valuesOf(p));
  });

  app.post('/:id', authorize('settings.manage'), async (c) => {
    const id = c.req.param('id');
    const p = await deps.practitioners.get(id);
    const form = await readForm(c);
    const values: PractitionerFormValues = {
      displayName: form.text('displayName'),
      title: form.text('title'),
      bio: form.text('bio'),
      colour: form.text('colour'),
      bookableOnline: form.checked('bookableOnline'),
      serviceIds: form.list('serviceIds'),
      hours: Object.fromEntries(weekdays.map((d) => [String(d), form.text(`hours.${d}`)])),
    };
    return orRerender(
      async () => {
        await deps.practitioners.save(actorOf(c), id, values);
        return redirect(c, `/staff/settings/practitioners/${id}?notice=saved`);
      },
      (r) => page(c, p, values, r.message),
    );
  });
  return app;
}
