import { z } from '@hono/zod-openapi';
import { fieldTypes, type TemplateView, templateKinds, vitalsPartNames } from '../../domain/chart/index.ts';
import { notFound } from '../../lib/errors.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { optionalChoice } from './optional-query.ts';
import { id, instant } from './schemas.ts';

/**
 * A template field as the document shows it: every type's own keys are listed (options for the
 * choices, unit/min/max for a number, columns for a table, minLabel/maxLabel for the scale); the
 * domain checks each type's exact shape (chart.schema.ts `templateField`).
 */
export const templateFieldJson = z.object({
  id: z.string().describe('Stable across versions: answers are keyed by it'),
  type: z.enum(fieldTypes),
  label: z.string(),
  help: z.string().optional(),
  required: z.boolean().optional().describe('Checked when a note is signed or a form submitted'),
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  columns: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  minLabel: z.string().optional(),
  maxLabel: z.string().optional(),
  parts: z
    .array(z.enum(vitalsPartNames))
    .optional()
    .describe('Vitals: the measurements asked for (default: all)'),
});
export const templateJson = z.object({
  id,
  name: z.string(),
  kind: z.enum(templateKinds),
  version: z.int().describe('This version'),
  latestVersion: z.int().describe('The version new notes are written with'),
  fields: z.array(templateFieldJson),
  createdAt: instant.describe('When this version was made'),
});
const withTemplate = z.object({ template: templateJson });

/** The JSON of a template version (the domain's view; dates become ISO strings). */
export const templateOut = (t: TemplateView) => ({ ...t, createdAt: t.createdAt.toISOString() });

const fieldsBody = z.array(templateFieldJson).describe('1–200 fields, each id once');
const newBody = z.object({ name: z.string(), kind: z.enum(templateKinds), fields: fieldsBody });
const versionBody = z.object({
  name: z.string().optional(),
  fields: fieldsBody,
  baseVersion: z
    .int()
    .optional()
    .describe('The version edited: 409 `stale` when a newer one was saved since'),
});

const ops = apiOperations({ tags: ['Templates'], policy: 'staff' });
const list = ops.get('/', {
  summary: 'Note and form templates at their latest version, by name (the shipped starters among them)',
  query: z.object({
    kind: optionalChoice(templateKinds, 'Only this kind'),
  }),
  ok: [z.object({ templates: z.array(templateJson) }), 'The templates'],
});
const get = ops.get('/{id}', {
  summary: 'One template, at its latest version or at `?version=N` (what an older note was written with)',
  query: z.object({ version: z.string().optional().describe('A version number (default: the latest)') }),
  ok: [withTemplate, 'The template'],
});
const create = ops.post('/', {
  policy: 'settings.manage',
  summary: 'A new template, version 1 (admins)',
  body: newBody,
  created: [withTemplate, 'Made'],
});
const addVersion = ops.post('/{id}/versions', {
  policy: 'settings.manage',
  summary:
    'Edit a template: a new version (admins). Notes keep the version they were written with; a kept field id keeps its type (else 422)',
  body: versionBody,
  created: [withTemplate, 'The new version'],
  conflicts: 'stale: a newer version was saved since baseVersion',
  refuses: [401, 403, 404, 422],
});

/** `/api/v1/templates`: note and form templates for staff; admins make and edit them. */
export function templatesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const templates = await deps.templates.list(actorOf(c), c.req.valid('query').kind);
    return c.json({ templates: templates.map(templateOut) }, 200);
  });
  app.openapi(apiRoute(kit, get), async (c) => {
    const raw = c.req.valid('query').version;
    const version = raw === undefined ? undefined : Number(raw);
    if (version !== undefined && !(Number.isInteger(version) && version >= 1))
      throw notFound('That version of the template');
    const template = await deps.templates.get(actorOf(c), c.req.valid('param').id, version);
    return c.json({ template: templateOut(template) }, 200);
  });
  app.openapi(apiRoute(kit, create), async (c) => {
    const template = await deps.templates.create(actorOf(c), await c.req.json());
    return c.json({ template: templateOut(template) }, 201);
  });
  app.openapi(apiRoute(kit, addVersion), async (c) => {
    const template = await deps.templates.addVersion(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ template: templateOut(template) }, 201);
  });
  return app;
}
