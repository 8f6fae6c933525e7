import { type Context, Hono } from 'hono';
import {
  FieldsPreview,
  TemplateBuilderPage,
  type TemplateDraft,
  TemplatesListPage,
  templatesHref,
} from '../../../../views/pages/staff/settings/templates.tsx';
import { type TemplateKind, templateKinds } from '../../../domain/chart/index.ts';
import { isAppError } from '../../../lib/errors.ts';
import { readForm } from '../../kit/form.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { applyAction, draftOf, fieldsOf, previewOf, readDraft } from './template-builder.ts';

const notices: Record<string, string> = { saved: 'Template saved: new notes and forms use this version.' };

/**
 * `/staff/settings/templates` (admins): the note and form templates, and the builder that makes a
 * new one or a new version of one, with a live preview. Builder buttons (add, move, remove) come
 * back with the page changed; only "Save template" writes.
 */
export function staffTemplateBuilderRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const needs = authorize('settings.manage');

  const builder = (
    c: Context<AppEnv>,
    action: string,
    draft: TemplateDraft,
    extra: { errors?: { rows: Record<number, string>; page?: string }; focus?: number; notice?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) =>
    c.html(
      TemplateBuilderPage({
        nav: kit.nav(c),
        action,
        previewAction: action.replace(/(\?|$)/, '/preview$1'),
        draft,
        preview: previewOf(draft.fields),
        ...extra,
      }),
      status,
    );

  /** Saves the draft (create or new version), or comes back with what is wrong, by field. */
  const save = async (c: Context<AppEnv>, action: string, draft: TemplateDraft, id?: string) => {
    const input = { name: draft.name, fields: fieldsOf(draft.fields) };
    try {
      const saved = id
        ? await deps.templates.addVersion(actorOf(c), id, { ...input, baseVersion: draft.baseVersion })
        : await deps.templates.create(actorOf(c), { ...input, kind: draft.kind });
      return redirect(c, `${templatesHref}/${saved.id}?notice=saved`);
    } catch (e) {
      if (!isAppError(e) || (e.code !== 'validation_failed' && e.code !== 'stale')) throw e;
      const rows: Record<number, string> = {};
      const page: string[] = [];
      for (const issue of e.issues ?? []) {
        const row = /^fields\.(\d+)/.exec(issue.path)?.[1];
        if (row === undefined) page.push(issue.message);
        else rows[Number(row)] ??= issue.message;
      }
      const summary =
        page.join(' ') || (Object.keys(rows).length ? 'Some fields need attention: see below.' : e.message);
      return builder(c, action, draft, { errors: { rows, page: summary } }, e.code === 'stale' ? 409 : 422);
    }
  };

  /** A posted builder: an action comes back with the page changed; "save" writes. */
  const posted = async (c: Context<AppEnv>, action: string, kind: TemplateKind, id?: string) => {
    const { draft, action: act } = readDraft(await readForm(c), kind);
    if (act.kind === 'save') return save(c, action, draft, id);
    const fields = applyAction(draft.fields, act);
    const focus =
      act.kind === 'add'
        ? fields.length - 1
        : act.kind === 'up'
          ? act.index - 1
          : act.kind === 'down'
            ? act.index + 1
            : undefined;
    return builder(c, action, { ...draft, fields }, focus === undefined ? {} : { focus });
  };

  const kindOf = (c: Context<AppEnv>): TemplateKind => {
    const kind = c.req.query('kind');
    return (templateKinds as readonly string[]).includes(kind ?? '') ? (kind as TemplateKind) : 'note';
  };

  app.get('/', needs, async (c) => {
    const templates = await deps.templates.list(actorOf(c));
    return c.html(TemplatesListPage({ nav: kit.nav(c), templates }));
  });
  app.get('/new', needs, (c) => {
    const kind = kindOf(c);
    return builder(c, `${templatesHref}/new?kind=${kind}`, { name: '', kind, baseVersion: 0, fields: [] });
  });
  app.post('/new', needs, (c) => posted(c, `${templatesHref}/new?kind=${kindOf(c)}`, kindOf(c)));
  app.post('/new/preview', needs, async (c) => previewAnswer(c, kindOf(c)));

  app.get('/:id', needs, async (c) => {
    const t = await deps.templates.get(actorOf(c), c.req.param('id'));
    const draft = { name: t.name, kind: t.kind, baseVersion: t.version, fields: draftOf(t.fields) };
    const notice = notices[c.req.query('notice') ?? ''];
    return builder(c, `${templatesHref}/${t.id}`, draft, notice ? { notice } : {});
  });
  app.post('/:id', needs, async (c) => {
    const t = await deps.templates.get(actorOf(c), c.req.param('id'));
    return posted(c, `${templatesHref}/${t.id}`, t.kind, t.id);
  });
  app.post('/:id/preview', needs, async (c) => previewAnswer(c, 'note'));

  /** The preview of what the builder holds now (htmx swaps it in as the admin types). */
  async function previewAnswer(c: Context<AppEnv>, kind: TemplateKind) {
    const { draft } = readDraft(await readForm(c), kind);
    return c.html(FieldsPreview(previewOf(draft.fields)));
  }
  return app;
}
