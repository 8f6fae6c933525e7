import { type Context, Hono } from 'hono';
import { emptyService, ServicePage, ServicesPage } from '../../../views/pages/staff/services.tsx';
import { isAppError } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** Services (admins): list, add, edit, archive. Bad input re-renders the form with what was typed. */
export function staffServicesRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const actor = (c: Context<AppEnv>) => actorOf(c);
  const formValues = async (c: Context<AppEnv>) => {
    const b = await c.req.parseBody();
    const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
    return {
      name: text('name'),
      description: text('description'),
      durationMin: text('durationMin'),
      bufferBeforeMin: text('bufferBeforeMin'),
      bufferAfterMin: text('bufferAfterMin'),
      onlineBookable: b.onlineBookable === 'on',
      newPatientsAllowed: b.newPatientsAllowed === 'on',
      requiresApproval: b.requiresApproval === 'on',
      reminderHours: text('reminderHours'),
    };
  };
  const messageOf = (e: unknown) =>
    isAppError(e) && e.code === 'validation_failed'
      ? (e.issues?.map((i) => i.message).join(' ') ?? e.message)
      : null;
  const list = async (c: Context<AppEnv>, values = emptyService, errors?: string) =>
    c.html(
      ServicesPage({ nav: kit.nav(c), services: await deps.services.list(), values, errors }),
      errors ? 422 : 200,
    );

  app.get('/staff/settings/services', authorize('settings.manage'), (c) => list(c));
  app.post('/staff/settings/services', authorize('settings.manage'), async (c) => {
    const values = await formValues(c);
    try {
      const created = await deps.services.create(actor(c), values);
      return redirect(c, `/staff/settings/services/${created.id}`);
    } catch (e) {
      const message = messageOf(e);
      if (message) return list(c, values, message);
      throw e;
    }
  });

  app.get('/staff/settings/services/:id', authorize('settings.manage'), async (c) => {
    const s = await deps.services.get(c.req.param('id'));
    return c.html(ServicePage({ nav: kit.nav(c), id: s.id, active: s.active, values: s }));
  });
  app.post('/staff/settings/services/:id', authorize('settings.manage'), async (c) => {
    const id = c.req.param('id');
    const values = await formValues(c);
    try {
      await deps.services.update(actor(c), id, values);
      return redirect(c, `/staff/settings/services/${id}`);
    } catch (e) {
      const message = messageOf(e);
      if (message) {
        const s = await deps.services.get(id);
        return c.html(ServicePage({ nav: kit.nav(c), id, active: s.active, values, errors: message }), 422);
      }
      throw e;
    }
  });
  for (const [verb, active] of [
    ['archive', false],
    ['restore', true],
  ] as const) {
    app.post(`/staff/settings/services/:id/${verb}`, authorize('settings.manage'), async (c) => {
      await deps.services.setActive(actor(c), c.req.param('id'), active);
      return redirect(c, `/staff/settings/services/${c.req.param('id')}`);
    });
  }
  return app;
}
