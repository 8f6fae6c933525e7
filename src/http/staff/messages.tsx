import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  type DeliveryRowView,
  MessageSettingsPage,
  MessagesPage,
  TemplateEditPage,
  TemplatePreview,
} from '../../../views/pages/staff/messages.tsx';
import {
  channels,
  type Delivery,
  deliveryStatuses,
  type TemplateKey,
  templateKey,
} from '../../domain/notifications/index.ts';
import { isAppError, notFound } from '../../lib/errors.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { clinicTime } from './clinic-time.ts';

/** A delivery row as the tables show it (no body: the log never has one), times in `timeZone`. */
export const deliveryRowView = (d: Delivery, timeZone: string, withPatient = false): DeliveryRowView => ({
  id: d.id,
  createdAt: clinicTime(d.createdAt, timeZone),
  sentAt: clinicTime(d.sentAt, timeZone),
  channel: d.channel,
  type: d.messageType,
  language: d.language,
  recipient: d.channel === 'push' ? 'their devices' : d.recipient,
  status: d.status,
  attempts: d.attempts,
  providerId: d.providerId ?? '—',
  lastError: d.lastError ?? '',
  patientHref: withPatient && d.patientId ? `/staff/patients/${d.patientId}` : undefined,
});

const listQuery = z.object({
  status: z
    .enum(deliveryStatuses as [string, ...string[]])
    .optional()
    .catch(undefined),
  channel: z.enum(channels).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** Admin: the message log. Settings: test sends and the message templates with a live preview. */
export function staffMessagesRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const n = deps.notifications;
  const me = (c: Context<AppEnv>) => ({ ...actorOf(c), id: c.get('staff')!.account.id });

  app.get('/staff/admin/messages', authorize('audit.read'), async (c) => {
    const q = listQuery.parse(c.req.query());
    const filter = {
      ...(q.status ? { status: q.status as Delivery['status'] } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
    };
    const result = await n.deliveries.list(actorOf(c), { ...filter, page: q.page, pageSize: 50 });
    const { timeZone } = await deps.clinic.get();
    return c.html(
      MessagesPage({
        nav: kit.nav(c),
        filter: { status: q.status ?? '', channel: q.channel ?? '' },
        statuses: deliveryStatuses,
        channels,
        rows: result.rows.map((d) => deliveryRowView(d, timeZone, true)),
        page: result.page,
        pages: Math.ceil(result.total / result.pageSize),
        total: result.total,
      }),
    );
  });

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
        ...extra,
      }),
      status,
    );
  const notices: Record<string, string> = {
    'test-email': 'Test email queued: see the message log for its delivery.',
    'test-sms': 'Test SMS queued: see the message log for its delivery.',
  };
  app.get('/staff/settings/messages', authorize('settings.manage'), (c) => {
    const notice = notices[c.req.query('notice') ?? ''];
    return settingsPage(c, notice ? { notice } : {});
  });

  for (const channel of ['email', 'sms'] as const) {
    const field = channel === 'email' ? 'email' : 'phone';
    app.post(`/staff/settings/messages/test-${channel}`, authorize('settings.manage'), async (c) => {
      const body = await c.req.parseBody();
      try {
        await n.notifier.sendTest(me(c), channel, String(body[field] ?? ''));
      } catch (e) {
        if (isAppError(e) && e.code === 'validation_failed') {
          return settingsPage(c, { error: e.issues?.map((i) => i.message).join(' ') ?? e.message }, 422);
        }
        throw e;
      }
      return redirect(c, `/staff/settings/messages?notice=test-${channel}`);
    });
  }

  app.post('/staff/account/alerts', authorize('staff'), async (c) => {
    await n.staffAlerts.set(me(c), String((await c.req.parseBody()).bookingAlerts ?? ''));
    return redirect(c, '/staff/account?notice=alerts-saved');
  });

  const keyOf = (c: Context<AppEnv>): TemplateKey => {
    const parsed = templateKey.safeParse(c.req.param());
    if (!parsed.success || !n.messages.find(parsed.data.type)?.channels.includes(parsed.data.channel)) {
      throw notFound('That template');
    }
    return parsed.data;
  };
  const formTemplate = async (c: Context<AppEnv>) => {
    const body = await c.req.parseBody();
    return {
      subject: typeof body.subject === 'string' ? body.subject : undefined,
      body: typeof body.body === 'string' ? body.body : '',
    };
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
        variables: message.variables,
        values,
        custom: current.custom,
        preview: n.templates.preview(key, values, await deps.clinic.get()),
        ...(form ? { error: form.error } : {}),
      }),
      form ? 422 : 200,
    );
  };
  const templatePath = '/staff/settings/messages/templates/:type/:channel/:language';
  app.get(templatePath, authorize('settings.manage'), (c) => editPage(c, keyOf(c)));
  app.post(templatePath, authorize('settings.manage'), async (c) => {
    const key = keyOf(c);
    const values = await formTemplate(c);
    try {
      await n.templates.save(actorOf(c), key, values);
    } catch (e) {
      if (isAppError(e) && e.code === 'validation_failed')
        return editPage(c, key, { values, error: e.message });
      throw e;
    }
    return redirect(c, `/staff/settings/messages/templates/${key.type}/${key.channel}/${key.language}`);
  });
  app.post(`${templatePath}/preview`, authorize('settings.manage'), async (c) => {
    const key = keyOf(c);
    const template = await formTemplate(c);
    return c.html(TemplatePreview({ preview: n.templates.preview(key, template, await deps.clinic.get()) }));
  });
  app.post(`${templatePath}/reset`, authorize('settings.manage'), async (c) => {
    const key = keyOf(c);
    await n.templates.reset(actorOf(c), key);
    return redirect(c, `/staff/settings/messages/templates/${key.type}/${key.channel}/${key.language}`);
  });
  return app;
}
