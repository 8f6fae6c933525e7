import { type Context, Hono } from 'hono';
import { emptyService, ServicePage, ServicesPage } from '../../../../views/pages/staff/settings/services.tsx';
import { type FormFields, readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

/** The service form as typed (the domain's schema reads the numbers). */
const serviceValuesOf = (form: FormFields) => ({
  name: form.text('name'),
  description: form.text('description'),
  durationMin: form.text('durationMin'),
  bufferBeforeMin: form.text('bufferBeforeMin'),
  bufferAfterMin: form.text('bufferAfterMin'),
  onlineBookable: form.checked('onlineBookable'),
  newPatientsAllowed: form.checked('newPatientsAllowed'),
  requiresApproval: form.checked('requiresApproval'),
  askReason: form.checked('askReason'),
  reminderHours: form.text('reminderHours'),
  defaultNoteTemplateId: form.text('defaultNoteTemplateId') || null,
});

/** The note templates a service may start notes with (the chart's, latest versions). */
const noteTemplatesFor = async (deps: HttpDeps, c: Context<AppEnv>) =>
  (await deps.templates.list(actorOf(c), 'note')).map((t) => ({ id: t.id, name: t.name }));

/** The form templates, ticked as `chosen` says, else as the service sends them now. */
const formTemplatesFor = async (
  deps: HttpDeps,
  c: Context<AppEnv>,
  serviceId: string | null,
  chosen?: string[],
) => {
  const actor = actorOf(c);
  const ticked = new Set(chosen ?? (serviceId ? await deps.forms.ofService(actor, serviceId) : []));
  return (await deps.templates.list(actor, 'form')).map((t) => ({
    id: t.id,
    name: t.name,
    checked: ticked.has(t.id),
  }));
};

/** `/staff/settings/services` (admins): list, add, edit, archive. Bad input re-renders the form with what was typed. */
export function staffServicesRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const list = async (c: Context<AppEnv>, values = emptyService, errors?: string, forms?: string[]) =>
    c.html(
      ServicesPage({
        nav: kit.nav(c),
        services: await deps.services.list(),
        values,
        errors,
        noteTemplates: await noteTemplatesFor(deps, c),
        formTemplates: await formTemplatesFor(deps, c, null, forms ?? []),
      }),
      errors ? 422 : 200,
    );

  app.get('/', authorize('settings.manage'), (c) => list(c));
  app.post('/', authorize('settings.manage'), async (c) => {
    const form = await readForm(c);
    const values = serviceValuesOf(form);
    const forms = form.list('formTemplateIds');
    return orRerender(
      async () => {
        const created = await deps.services.create(actorOf(c), values);
        if (forms.length) await deps.forms.setOfService(actorOf(c), created.id, { templateIds: forms });
        return redirect(c, `/staff/settings/services/${created.id}`);
      },
      (r) => list(c, values, r.message, forms),
    );
  });

  app.get('/:id', authorize('settings.manage'), async (c) => {
    const s = await deps.services.get(c.req.param('id'));
    const noteTemplates = await noteTemplatesFor(deps, c);
    const formTemplates = await formTemplatesFor(deps, c, s.id);
    return c.html(
      ServicePage({ nav: kit.nav(c), id: s.id, active: s.active, values: s, noteTemplates, formTemplates }),
    );
  });
  app.post('/:id', authorize('settings.manage'), async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    const values = serviceValuesOf(form);
    const forms = form.list('formTemplateIds');
    return orRerender(
      async () => {
        await deps.services.update(actorOf(c), id, values);
        await deps.forms.setOfService(actorOf(c), id, { templateIds: forms });
        return redirect(c, `/staff/settings/services/${id}`);
      },
      async (r) => {
        const s = await deps.services.get(id);
        const noteTemplates = await noteTemplatesFor(deps, c);
        const formTemplates = await formTemplatesFor(deps, c, id, forms);
        return c.html(
          ServicePage({
            nav: kit.nav(c),
            id,
            active: s.active,
            values,
            errors: r.message,
            noteTemplates,
            formTemplates,
          }),
          422,
        );
      },
    );
  });
  for (const [verb, active] of [
    ['archive', false],
    ['restore', true],
  ] as const) {
    app.post(`/:id/${verb}`, authorize('settings.manage'), async (c) => {
      await deps.services.setActive(actorOf(c), c.req.param('id'), active);
      return redirect(c, `/staff/settings/services/${c.req.param('id')}`);
    });
  }
  return app;
}
