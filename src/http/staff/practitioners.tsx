import { type Context, Hono } from 'hono';
import {
  type PractitionerFormValues,
  PractitionerPage,
  PractitionersPage,
} from '../../../views/pages/staff/practitioners.tsx';
import { type PractitionerView, weekdays } from '../../domain/scheduling/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** Practitioners (admins): profile, services offered and weekly hours. */
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

  app.get('/staff/settings/practitioners', authorize('settings.manage'), async (c) => {
    const rows = (await deps.practitioners.list()).map((p) => ({
      accountId: p.accountId,
      name: p.name,
      displayName: p.profile?.displayName ?? null,
      bookableOnline: p.profile?.bookableOnline ?? false,
      services: p.serviceIds.length,
    }));
    return c.html(PractitionersPage({ nav: kit.nav(c), rows }));
  });

  app.get('/staff/settings/practitioners/:id', authorize('settings.manage'), async (c) => {
    const p = await deps.practitioners.get(c.req.param('id'));
    return page(c, p, valuesOf(p));
  });

  app.post('/staff/settings/practitioners/:id', authorize('settings.manage'), async (c) => {
    const id = c.req.param('id');
    const p = await deps.practitioners.get(id);
    const body = await c.req.parseBody({ all: true });
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const ids = body.serviceIds;
    const values: PractitionerFormValues = {
      displayName: text('displayName'),
      title: text('title'),
      bio: text('bio'),
      colour: text('colour'),
      bookableOnline: body.bookableOnline === 'on',
      serviceIds: (Array.isArray(ids) ? ids : ids ? [ids] : []).filter(
        (x): x is string => typeof x === 'string',
      ),
      hours: Object.fromEntries(weekdays.map((d) => [String(d), text(`hours.${d}`)])),
    };
    try {
      await deps.practitioners.save(actorOf(c), id, values);
    } catch (e) {
      if (isAppError(e) && e.code === 'validation_failed')
        return page(c, p, values, e.issues?.map((i) => i.message).join(' ') ?? e.message);
      throw e;
    }
    return redirect(c, `/staff/settings/practitioners/${id}?notice=saved`);
  });
  return app;
}
