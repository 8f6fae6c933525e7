import { type Context, Hono } from 'hono';
import { PatientMessagesSettingsPage } from '../../../../views/pages/staff/settings/patient-messages.tsx';
import { AppError } from '../../../lib/errors.ts';
import { readForm } from '../../kit/form.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

const notices: Record<string, string> = {
  saved: 'Saved.',
  added: 'Quick reply added.',
  changed: 'Quick reply saved.',
  removed: 'Quick reply removed.',
};

/**
 * `/staff/settings/patient-messages` (settings.manage): the clinic's messaging settings and its
 * quick replies (issue 19), through deps.messaging (which checks the role again and validates).
 */
export function staffPatientMessagesSettingsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const page = async (
    c: Context<AppEnv>,
    extra: {
      editing?: { id: string | null; title: string; text: string; error?: string };
      settingsError?: string;
      settings?: { patientsMayStart: boolean; replyWithinDays: number | null; reopenOnReply: boolean };
    } = {},
  ) => {
    const actor = actorOf(c);
    const [settings, quickReplies] = await Promise.all([
      deps.messaging.settings(),
      deps.messaging.quickReplies.list(actor),
    ]);
    const editId = c.req.query('edit');
    const editing = extra.editing ?? quickReplies.find((q) => q.id === editId);
    return c.html(
      PatientMessagesSettingsPage({
        nav: kit.nav(c),
        settings: extra.settings ?? settings,
        quickReplies,
        ...(editing ? { editing } : {}),
        settingsError: extra.settingsError,
        notice: notices[c.req.query('notice') ?? ''],
      }),
      extra.editing?.error || extra.settingsError ? 422 : 200,
    );
  };
  /** A validation refusal's first message (anything else goes to the error page). */
  const refusal = (error: unknown): string => {
    if (!(error instanceof AppError) || error.status !== 422) throw error;
    return error.issues?.[0]?.message ?? error.message;
  };

  app.get('/', authorize('settings.manage'), (c) => page(c));

  app.post('/', authorize('settings.manage'), async (c) => {
    const form = await readForm(c);
    const days = form.text('replyWithinDays').trim();
    const settings = {
      patientsMayStart: form.checked('patientsMayStart'),
      replyWithinDays: days === '' ? null : /^\d+$/.test(days) ? Number(days) : Number.NaN,
      reopenOnReply: form.checked('reopenOnReply'),
    };
    try {
      if (Number.isNaN(settings.replyWithinDays))
        throw new AppError(
          'validation_failed',
          'Give a number of working days (1 to 30), or leave it empty.',
        );
      await deps.messaging.changeSettings(actorOf(c), settings);
    } catch (error) {
      return page(c, { settingsError: refusal(error) });
    }
    return redirect(c, '/staff/settings/patient-messages?notice=saved');
  });

  app.post('/quick-replies', authorize('settings.manage'), async (c) => {
    const form = await readForm(c);
    const typed = { title: form.text('title'), text: form.text('text') };
    try {
      await deps.messaging.quickReplies.create(actorOf(c), typed);
    } catch (error) {
      return page(c, { editing: { id: null, ...typed, error: refusal(error) } });
    }
    return redirect(c, '/staff/settings/patient-messages?notice=added#h-quick-replies');
  });

  app.post('/quick-replies/:id', authorize('settings.manage'), async (c) => {
    const form = await readForm(c);
    const id = c.req.param('id');
    const typed = { title: form.text('title'), text: form.text('text') };
    try {
      await deps.messaging.quickReplies.update(actorOf(c), id, typed);
    } catch (error) {
      return page(c, { editing: { id, ...typed, error: refusal(error) } });
    }
    return redirect(c, '/staff/settings/patient-messages?notice=changed#h-quick-replies');
  });

  app.post('/quick-replies/:id/remove', authorize('settings.manage'), async (c) => {
    await deps.messaging.quickReplies.remove(actorOf(c), c.req.param('id'));
    return redirect(c, '/staff/settings/patient-messages?notice=removed#h-quick-replies');
  });
  return app;
}
