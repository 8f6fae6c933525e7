import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ExportView, OpenedExport } from '../../domain/exports/index.ts';
import { apiOperations, apiRoute, createApi, fileAnswer } from '../kit/api.ts';
import { sendAttachment } from '../kit/attachment.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { registeredPatientOf } from './actors.ts';
import { id, instant } from './schemas.ts';

/** An export as the API shows it; `downloadUrl` once it is ready, until it expires. */
const exportJson = z.object({
  id,
  patientId: id,
  status: z
    .enum(['queued', 'ready', 'failed', 'expired'])
    .describe('queued: being built; ready: download until expiresAt; failed; expired: ask for a new one'),
  createdAt: instant,
  readyAt: instant.nullable(),
  expiresAt: instant.nullable().describe('The download works until then (24 h after it was built)'),
  size: z.int().nullable().describe('The zip’s size in bytes'),
  downloadUrl: z.string().nullable(),
});
const withExport = z.object({ export: exportJson });

const zipAnswers = {
  200: fileAnswer(
    'application/zip',
    'The zip: record.json (a FHIR R4 Bundle of type collection: Patient, Appointment, DocumentReference, QuestionnaireResponse, Composition), summary.html and documents/<file> (audited)',
  ),
  409: { description: 'export_not_ready: still being built (or it failed)' },
  410: { description: 'export_expired: the 24 hours are over; ask for a new export' },
};

/** An export as the API shows it to whoever asked; `under`, where their exports are (`…/{id}/download` is the zip). */
const exportAnswer = (view: ExportView, under: string) => ({
  id: view.id,
  patientId: view.patientId,
  status: view.status,
  createdAt: view.createdAt.toISOString(),
  readyAt: view.readyAt?.toISOString() ?? null,
  expiresAt: view.expiresAt?.toISOString() ?? null,
  size: view.size,
  downloadUrl: view.status === 'ready' ? `${under}/${view.id}/download` : null,
});

/** The zip as an HTTP answer (an attachment, never rendered). */
export const sendExportZip = (c: Context<AppEnv>, opened: OpenedExport): Response =>
  sendAttachment(c, opened, 'application/zip');

/** Where the member who asked finds an export. */
const staffExports = '/api/v1/exports';

/** Who asks for an export (and alone may download it). */
type Requester = Parameters<HttpDeps['exports']['get']>[0];

/** The signed-in member as the one who asks (and alone may download). */
export const staffRequester = (c: Context<AppEnv>) => ({ ...actorOf(c), id: c.get('staff')!.account.id });

const staff = apiOperations({ tags: ['Exports'], policy: 'patients.read' });
const request = staff.post('/{id}/export', {
  summary:
    'Export a patient’s record (GDPR articles 15 and 20): a job builds a zip of what the caller may read of the chart; poll GET /api/v1/exports/{id} (audited)',
  body: z.strictObject({}),
  accepted: [withExport, 'Asked for; being built'],
});
const get = staff.get('/{id}', {
  summary: 'An export the caller asked for: its status, and its download link once ready (24 h)',
  ok: [withExport, 'The export'],
});
const download = staff.get('/{id}/download', {
  summary: 'The zip of an export the caller asked for (audited)',
  responses: zipAnswers,
});

/** `/api/v1/patients/{id}/export`: staff ask for a patient's export. */
export function patientExportsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, request), async (c) => {
    const view = await deps.exports.request(staffRequester(c), c.req.valid('param').id);
    return c.json({ export: exportAnswer(view, staffExports) }, 202);
  });
  return app;
}

/**
 * An export's status and its zip, alike for the member and for the patient app: the domain holds
 * `requester` to the exports they asked for; `under` is where those are.
 */
function exportRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: HttpDeps,
  kit: RouteKit,
  routes: { get: typeof get | typeof getOwn; download: typeof download | typeof downloadOwn },
  requester: (c: Context<AppEnv>) => Requester,
  under: string,
) {
  app.openapi(apiRoute(kit, routes.get), async (c) => {
    const view = await deps.exports.get(requester(c), c.req.valid('param').id);
    return c.json({ export: exportAnswer(view, under) }, 200);
  });
  app.openapi(apiRoute(kit, routes.download), async (c) =>
    sendExportZip(c, await deps.exports.open(requester(c), c.req.valid('param').id)),
  );
}

/** `/api/v1/exports/{id}`: an export's status and its zip, for the member who asked for it. */
export function exportsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  exportRoutes(app, deps, kit, { get, download }, staffRequester, staffExports);
  return app;
}

const mine = apiOperations({ tags: ['Exports'], policy: 'patient' });
const requestOwn = mine.post('/export', {
  summary:
    'Download my data: a job builds a zip of my record (or a dependant’s: patientId; 404 for anyone outside my family); poll GET /api/v1/me/exports/{id} (audited)',
  body: z.strictObject({
    patientId: z.string().max(64).optional().describe('A dependant’s id (default: me)'),
  }),
  accepted: [withExport, 'Asked for; being built'],
  refuses: [401, 403, 404, 422],
});
const listOwn = mine.get('/exports', {
  summary: 'The exports I asked for (mine and my dependants’), newest first, with their status and links',
  ok: [z.object({ exports: z.array(exportJson) }), 'My exports'],
});
const getOwn = mine.get('/exports/{id}', {
  summary: 'An export I asked for: its status, and its download link once ready (24 h; 404 for any other)',
  ok: [withExport, 'The export'],
});
const downloadOwn = mine.get('/exports/{id}/download', {
  summary: 'The zip of an export I asked for (audited)',
  responses: zipAnswers,
});

/** `/api/v1/me/export…`: the patient app's "Download my data", held to the signed-in patient's family. */
export function meExportsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const ownExports = '/api/v1/me/exports';
  app.openapi(apiRoute(kit, requestOwn), async (c) => {
    const patientId = c.req.valid('json').patientId || undefined;
    const view = await deps.exports.requestOwn(registeredPatientOf(c), patientId);
    return c.json({ export: exportAnswer(view, ownExports) }, 202);
  });
  app.openapi(apiRoute(kit, listOwn), async (c) => {
    const views = await deps.exports.listOwn(registeredPatientOf(c));
    return c.json({ exports: views.map((v) => exportAnswer(v, ownExports)) }, 200);
  });
  exportRoutes(app, deps, kit, { get: getOwn, download: downloadOwn }, registeredPatientOf, ownExports);
  return app;
}
