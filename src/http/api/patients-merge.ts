import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { MergeResult } from '../../domain/patients/index.ts';
import { apiOperations, apiRoute } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { staffPatientJson, staffPatientView } from './patients-record.ts';

/*
 * Merging two records of one person (issue 17): `POST /api/v1/patients/{id}/merge
 * {"fromPatientId"}` moves everything of `fromPatientId` to `{id}` and archives it;
 * `GET …/merge?fromPatientId=` counts what would move (the confirmation screen's dry run). For
 * admins and the front desk (`patients.merge`).
 */

const fromPatientId = z
  .string()
  .describe('The record merged in: everything of it moves, then it is archived');
const mergeBody = z.object({ fromPatientId });
const mergeJson = z.object({
  patient: staffPatientJson.describe('The record kept (`{id}`)'),
  merged: staffPatientJson.describe('The record merged in: archived, `mergedInto` the kept one'),
  counts: z
    .record(z.string(), z.int())
    .describe(
      'Rows moved (or that would move) per kind: appointments, waitlistEntries, notes, addenda, documents, forms, messages, pushDevices, logins, sessions, passkeys, invites, contactChanges, recordHistory, alerts, guardianLinks, duplicateFlags, mergedRecords',
    ),
});
const refused =
  'Refused, nothing changed: merge_same_record (422), already_merged, merge_target_archived, merge_family_link (409)';

const mergeConflicts =
  'already_merged: one of the records was merged already; merge_target_archived: the record kept is archived; merge_family_link: the records are guardian and dependant';

const operations = apiOperations({ tags: ['Patients'], policy: 'patients.merge' });
const preview = operations.get('/{id}/merge', {
  summary: `What merging \`fromPatientId\` into this record would move, per kind (a dry run; audited). ${refused}`,
  query: z.object({ fromPatientId: fromPatientId.default('') }),
  ok: [mergeJson, 'The counts'],
  conflicts: mergeConflicts,
  refuses: [401, 403, 404, 422],
});
const merge = operations.post('/{id}/merge', {
  summary: `Merge another record of the same person into this one: appointments, waitlist entries, portal logins, sessions and passkeys, family links, documents, notes, forms, messages, alerts and history move, in one transaction; the other record is archived and marked merged (it cannot be booked or signed into). Both records' audit rows stay; one audit row names both and the counts. ${refused}`,
  body: mergeBody,
  ok: [mergeJson, 'Merged: what moved'],
  conflicts: mergeConflicts,
  refuses: [401, 403, 404, 422],
});

const mergeView = (r: MergeResult) => ({
  patient: staffPatientView(r.to),
  merged: staffPatientView(r.from),
  counts: r.counts,
});

/** Adds the merge routes to the patients API (`/api/v1/patients`). */
export function patientMergeApi(app: OpenAPIHono<AppEnv>, deps: HttpDeps, kit: RouteKit): void {
  app.openapi(apiRoute(kit, preview), async (c) => {
    const result = await deps.patientMerge.preview(actorOf(c), c.req.valid('param').id, c.req.valid('query'));
    return c.json(mergeView(result), 200);
  });
  app.openapi(apiRoute(kit, merge), async (c) => {
    const result = await deps.patientMerge.merge(actorOf(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(mergeView(result), 200);
  });
}
