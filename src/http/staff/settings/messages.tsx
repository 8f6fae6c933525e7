import { type Context, Hono } from 'hono';
import {
  MessageSettingsPage,
  TemplateEditPage,
  TemplatePreview,
} from '../../../../views/pages/staff/settings/messages.tsx';
import { type TemplateKey, templateKey, variablesFor } from '../../../domain/notifications/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { type FormFields, readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

const notices: Record<string, string> = {
  'test-email': 'Test email queued: see the message log for its delivery.',
  'test-sms': 'Test SMS queued: see the message log for its delivery.',
};
const templateOf = (form: FormFields) => ({ subject: form.optional('subject'), body: form.text('body') });
const templateHref = (key: TemplateKey) =>
  `/staff/settings/messages/templates/${key.type}/${key.channel}/${key.language}`;

/**
 * `/staff/settings/messages` (admins): test sends (through the real queue and transports) and the
 * message templates, edited with a live preview.
 */
export function staffMessageSettingsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const n = deps.notifications;

  const settingsPage = async (
    c: Context<AppEnv>,
    extra: { notice?: string; error?: string } = {},
    status: 200 | 422 = 200,
  ) =>
    c.html(
      MessageSettingsPage({
        nav: kit.nav(c),
        templates: await n.templates.list(),
        adminEmail: c.get('staff')!.account.email,
        providers: n.providers,
        ...extra,
      }),
      status,
    );
  app.get('/', authorize('settings.manage'), (c) => {
    const notice = notices[c.req.query('notice') ?? ''];
    return settingsPage(c, notice ? { notice } : {});
  });

  for (const channel of ['email', 'sms'] as const) {
    app.post(`/test-${channel}`, authorize('settings.manage'), async (c) => {
      const to = (await readForm(c)).text(channel === 'email' ? 'email' : 'phone');
      const me = { ...actorOf(c), id: c.get('staff')!.account.id };
      return orRerender(
        async () => {
          await n.notifier.sendTest(me, channel, to);
          return redirect(c, `/staff/settings/messages?notice=test-${channel}`);
        },
        (r) => settingsPage(c, { error: r.message }, 422),
      );
    });
  }

  /** The template of the path: a registered message type, one of its channels, a language; else 404. */
  const keyOf = (c: Context<AppEnv>): TemplateKey => {
    const parsed = templateKey.safeParse(c.req.param());
    if (!parsed.success || !n.messages.find(parsed.data.type)?.channels.includes(parsed.data.channel)) {
      throw notFound('That template');
    }
    return parsed.data;
  };
  const editPage = async (
    c: Context<AppEnv>,
    key: TemplateKey,
    form?: { values: { subject?: string | undefined; body: string }; error: string },
  ) => {
    const current = await n.templates.get(key);
    const values = form?.values ?? { subject: current.subject, body: current.body };
    const message = n.messages.find(key.type)!;
    return c.html(
      TemplateEditPage({
        nav: kit.nav(c),
        key: { ...key, label: message.label },
        // Only what this channel may carry: an SMS's help does not offer {{service}} to refuse it.
        variables: variablesFor(message, key.channel),
        values,
        custom: current.custom,
        preview: n.templates.preview(key, values, await deps.clinic.get()),
        ...(form ? { error: form.error } : {}),
      }),
      form ? 422 : 200,
    );
  };
  const template = '/templates/:type/:channel/:language';
  app.get(template, authorize('settings.manage'), (c) => editPage(c, keyOf(c)));
  app.post(template, authorize('settings.manage'), async (c) => {
    const key = keyOf(c);
    const values = templateOf(await readForm(c));
    return orRerender(
      async () => {
        await n.templates.save(actorOf(c), key, values);
        return redirect(c, templateHref(key));
      },
      (r) => editPage(c, key, { values, error: r.error.message }),
    );
  });
  app.post(`${template}/preview`, authorize('settings.manage'), async (c) => {
    const key = keyOf(c);
    const values = templateOf(await readForm(c));
    return c.html(TemplatePreview({ preview: n.templates.preview(key, values, await deps.clinic.get()) }));
  });
  app.post(`${template}/reset`, authorize('settings.manage'), async (c) => {
    const key = keyOf(c);
    await n.templates.reset(actorOf(c), key);
    return redirect(c, templateHref(key));
  });
  return app;
}
