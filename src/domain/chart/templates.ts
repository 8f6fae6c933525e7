import { conflict, fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { actingStaff } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import { staffWho } from './chart.policy.ts';
import {
  advanceTemplate,
  findTemplate,
  findTemplateVersion,
  insertStarterTemplate,
  insertTemplate,
  insertTemplateVersion,
  listLatestTemplates,
  listTemplateVersions,
  type TemplateRow,
  type TemplateVersionRow,
} from './chart.repo.ts';
import {
  newTemplateInput,
  type TemplateField,
  type TemplateKind,
  templateKinds,
  templateVersionInput,
} from './chart.schema.ts';
import { starters } from './starters.ts';

/** A template version as the API, the pages and the note views see it. */
export interface TemplateView {
  id: string;
  name: string;
  kind: TemplateKind;
  version: number;
  latestVersion: number;
  fields: TemplateField[];
  createdAt: Date;
}

export const templateView = (template: TemplateRow, version: TemplateVersionRow): TemplateView => ({
  id: template.id,
  name: version.name,
  kind: template.kind as TemplateKind,
  version: version.version,
  latestVersion: template.latestVersion,
  fields: JSON.parse(version.fields) as TemplateField[],
  createdAt: version.createdAt,
});

/**
 * Makes the shipped starters that do not exist yet (first start; idempotent, also with several
 * instances at once: the unique starter key lets one insert win, the others skip).
 */
export async function ensureStarters(deps: Pick<ChartDeps, 'db' | 'clock'>): Promise<number> {
  let made = 0;
  for (const starter of starters) {
    await deps.db.tx(async (ctx) => {
      const now = deps.clock.now();
      const row = await insertStarterTemplate(ctx, {
        id: newId(),
        kind: starter.kind,
        starterKey: starter.key,
        latestVersion: 1,
        createdAt: now,
        updatedAt: now,
      });
      if (!row) return;
      await insertTemplateVersion(ctx, {
        templateId: row.id,
        version: 1,
        name: starter.name,
        fields: JSON.stringify(starter.fields),
        createdAt: now,
        createdBy: null,
      });
      made += 1;
    });
  }
  return made;
}

/** Every template at its latest version (of one kind when asked), by name. Any staff member. */
export async function listTemplates(deps: ChartDeps, actor: Actor, kind?: string): Promise<TemplateView[]> {
  await actingStaff(deps.db.reader, actor);
  await deps.ready();
  const k = templateKinds.find((x) => x === kind);
  const rows = await listLatestTemplates(deps.db.reader, k);
  return rows.map((r) => templateView(r.template, r.version));
}

/** One template, at `version` (default: its latest). Any staff member. */
export async function getTemplate(
  deps: ChartDeps,
  actor: Actor,
  id: string,
  version?: number,
): Promise<TemplateView> {
  await actingStaff(deps.db.reader, actor);
  await deps.ready();
  return readTemplate(deps, id, version);
}

/** A template version, or 404 (for the note use cases, which checked the caller already). */
export async function readTemplate(
  deps: Pick<ChartDeps, 'db'>,
  id: string,
  version?: number,
): Promise<TemplateView> {
  const template = await findTemplate(deps.db.reader, id);
  if (!template) throw notFound('The template');
  const row = await findTemplateVersion(deps.db.reader, id, version ?? template.latestVersion);
  if (!row) throw notFound('That version of the template');
  return templateView(template, row);
}

/**
 * The columns that keep a record (a note, a patient's form) to the template version it is written
 * in — its answers read by that version's fields for good; also what their audit rows name.
 */
export const writtenIn = (template: { id: string; version: number }) => ({
  templateId: template.id,
  templateVersion: template.version,
});

/**
 * The template the input's `templateId` names, at its latest version, when it is of `kind`: else
 * (none, or another kind) a 422 on `templateId` asking for one of that kind.
 */
export async function templateOfKind(
  deps: Pick<ChartDeps, 'db'>,
  templateId: string,
  kind: TemplateKind,
): Promise<TemplateView> {
  const template = await readTemplate(deps, templateId).catch(() => null);
  if (template?.kind !== kind)
    throw validationFailed([fieldIssue('templateId', `Choose a ${kind} template.`)]);
  return template;
}

/**
 * The fields of one template version, for saving and signing: read once per process and kept
 * (a version is never changed, only followed by another), so an autosave does not read it again.
 */
export async function versionFieldsOf(
  deps: Pick<ChartDeps, 'db' | 'versionFields'>,
  templateId: string,
  version: number,
): Promise<TemplateField[]> {
  const cached = await deps.versionFields.getOrLoad(`${templateId}@${version}`, async () => {
    const row = await findTemplateVersion(deps.db.reader, templateId, version);
    if (!row) throw notFound('That version of the template');
    return { fields: JSON.parse(row.fields) as TemplateField[] };
  });
  return cached.fields;
}

/** A new template, version 1 (admins: `settings.manage`). Audited. */
export async function createTemplate(deps: ChartDeps, actor: Actor, input: unknown): Promise<TemplateView> {
  const who = await staffWho(deps, actor, 'settings.manage');
  const data = validated(newTemplateInput, input);
  return deps.db.tx(async (ctx) => {
    const now = deps.clock.now();
    const template = await insertTemplate(ctx, {
      id: newId(),
      kind: data.kind,
      starterKey: null,
      latestVersion: 1,
      createdAt: now,
      updatedAt: now,
    });
    const version = await insertTemplateVersion(ctx, {
      templateId: template.id,
      version: 1,
      name: data.name,
      fields: JSON.stringify(data.fields),
      createdAt: now,
      createdBy: who.actor.id,
    });
    await deps.audit.record(ctx, actor, {
      action: 'template.create',
      entity: 'template',
      entityId: template.id,
      details: { version: 1, kind: data.kind },
    });
    return templateView(template, version);
  });
}

const staleTemplate = 'The template was changed meanwhile: reload it and edit again.';

/**
 * An edit of a template: a new version with these fields (and name). Notes and forms written
 * with an older version keep it. A field id kept from any earlier version must keep its type, so
 * answers under one id always mean the same thing. Admins only; audited.
 */
export async function addTemplateVersion(
  deps: ChartDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<TemplateView> {
  const who = await staffWho(deps, actor, 'settings.manage');
  await deps.ready();
  const data = validated(templateVersionInput, input);
  return deps.db.tx(async (ctx) => {
    const template = await findTemplate(ctx, id);
    if (!template) throw notFound('The template');
    if (data.baseVersion !== undefined && data.baseVersion !== template.latestVersion)
      throw conflict(staleTemplate, 'stale');
    const versions = await listTemplateVersions(ctx, id);
    const typeOf = new Map<string, string>();
    for (const v of versions)
      for (const f of JSON.parse(v.fields) as TemplateField[]) typeOf.set(f.id, f.type);
    const issues = data.fields.flatMap((f, i) => {
      const was = typeOf.get(f.id);
      return was && was !== f.type
        ? [
            fieldIssue(`fields.${i}.type`, {
              text: `Field "${f.id}" was a ${was} field: give a new field a new id.`,
            }),
          ]
        : [];
    });
    if (issues.length) throw validationFailed(issues);
    const latest = versions.at(-1)!;
    const now = deps.clock.now();
    const next = template.latestVersion + 1;
    const moved = await advanceTemplate(ctx, id, template.latestVersion, next, now);
    if (!moved) throw conflict(staleTemplate, 'stale');
    const version = await insertTemplateVersion(ctx, {
      templateId: id,
      version: next,
      name: data.name ?? latest.name,
      fields: JSON.stringify(data.fields),
      createdAt: now,
      createdBy: who.actor.id,
    });
    await deps.audit.record(ctx, actor, {
      action: 'template.version',
      entity: 'template',
      entityId: id,
      details: { version: next },
    });
    return templateView(moved, version);
  });
}
