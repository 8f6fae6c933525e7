import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { ErasePreview, EraseResult, Patient } from '../../domain/patients/index.ts';
import { apiOperations, apiRoute } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { staffPatientJson, staffPatientView } from './patients-record.ts';

/*
 * Erasure and restriction (issue 18 item 6; GDPR art. 17 and 18), admins only (`patients.erase`):
 * `GET …/{id}/erase` counts what an erase would remove and says whether it may;
 * `POST …/{id}/erase` erases a record with no clinical content (409 has_clinical_records);
 * `POST …/{id}/restrict {"reason"}` and `POST …/{id}/unrestrict`; `POST …/{id}/purge` erases a
 * restricted record whose retention has ended, clinical content included.
 */

const counts = z
  .record(z.string(), z.int())
  .describe(
    'Rows per kind: appointments (kept, anonymous), upcomingCancelled, waitlistEntries, notes, addenda, documents, forms, exportFiles, messageAddresses, pushDevices, logins, sessions, passkeys, invites, contactChanges, recordHistory, alerts, guardianLinks',
  );
const restrictionJson = z
  .object({
    restrictedAt: z.iso.datetime().nullable(),
    retainUntil: z.iso.datetime().nullable().describe('Last visit + the clinic’s retention period'),
    reason: z.string().nullable(),
  })
  .describe('The record’s restriction (GDPR art. 18): hidden from lists, search, the Inbox and messages');
const recordJson = z.object({
  patient: staffPatientJson,
  erasedAt: z.iso.datetime().nullable(),
  restriction: restrictionJson,
});
const previewJson = recordJson.extend({
  counts: counts.describe('What an erase (or the purge) would delete or clear now'),
  clinical: z
    .record(z.string(), z.int())
    .describe('Clinical content: signedNotes, draftNotes, formResponses, clinicalDocuments, clinicalAlerts'),
  erasable: z.boolean().describe('No clinical content: a plain erase is allowed'),
  refusal: z.string().nullable().describe('Why not, in words'),
  purgeable: z.boolean().describe('Restricted and its retention has ended: the purge is allowed'),
});
const erasedJson = recordJson.extend({ counts: counts.describe('What was deleted or cleared') });

const recordView = (p: Patient) => ({
  patient: staffPatientView(p),
  erasedAt: p.erasedAt?.toISOString() ?? null,
  restriction: {
    restrictedAt: p.restrictedAt?.toISOString() ?? null,
    retainUntil: p.retainUntil?.toISOString() ?? null,
    reason: p.restrictReason,
  },
});
const previewView = (r: ErasePreview) => ({
  ...recordView(r.patient),
  counts: r.counts,
  clinical: r.clinical,
  erasable: r.erasable,
  refusal: r.refusal,
  purgeable: r.purgeable,
});
/** An erase's or a purge's answer: the record as left, and what went. */
const erasedView = (r: EraseResult) => ({ ...recordView(r.patient), counts: r.counts });

const operations = apiOperations({ tags: ['Patients'], policy: 'patients.erase' });
const preview = operations.get('/{id}/erase', {
  summary:
    'What erasing this record would remove, per kind, and its clinical content (a dry run; audited). 409 already_erased',
  ok: [previewJson, 'The counts'],
  conflicts: 'already_erased',
});
const erase = operations.post('/{id}/erase', {
  summary:
    'Erase the personal data of a record with no clinical content (no notes, form responses, clinical documents, allergy or medical alerts): logins, sessions, passkeys, contacts, family links, history, waitlist entries, documents, exports, message addresses go; the record stays as a tombstone and its appointments stay (time, service, practitioner, status) for the counts. One transaction; audited with counts only. Refused, nothing changed: has_clinical_records (409: restrict instead), already_erased (409)',
  ok: [erasedJson, 'Erased: what went'],
  conflicts: 'has_clinical_records, already_erased',
});
const restrict = operations.post('/{id}/restrict', {
  summary:
    'Restrict the record (GDPR art. 18): hidden from patient lists, search, the Inbox and messages, sign-in refused (its sessions end), still open by its link to admins and exportable; kept until the last visit + the clinic’s retention period. Refused: already_restricted, already_erased (409), no reason (422)',
  body: z.object({ reason: z.string().describe('Why (not audited)') }),
  ok: [recordJson, 'Restricted'],
  conflicts: 'already_restricted, already_erased',
});
const unrestrict = operations.post('/{id}/unrestrict', {
  summary: 'Lift the restriction. Refused: not_restricted, already_erased (409)',
  ok: [recordJson, 'No longer restricted'],
  conflicts: 'not_restricted, already_erased',
});
const purge = operations.post('/{id}/purge', {
  summary:
    'Purge a restricted record whose retention period has ended: the erasure, clinical content included (notes, forms, documents). Refused: retention_not_ended, already_erased (409)',
  ok: [erasedJson, 'Purged: what went'],
  conflicts: 'retention_not_ended, already_erased',
});

/** Adds the erasure and restriction routes to the patients API (`/api/v1/patients`). */
export function patientEraseApi(app: OpenAPIHono<AppEnv>, deps: HttpDeps, kit: RouteKit): void {
  const e = deps.patientErasure;
  app.openapi(apiRoute(kit, preview), async (c) => {
    return c.json(previewView(await e.preview(actorOf(c), c.req.valid('param').id)), 200);
  });
  app.openapi(apiRoute(kit, erase), async (c) => {
    return c.json(erasedView(await e.erase(actorOf(c), c.req.valid('param').id)), 200);
  });
  app.openapi(apiRoute(kit, restrict), async (c) => {
    const row = await e.restrict(actorOf(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(recordView(row), 200);
  });
  app.openapi(apiRoute(kit, unrestrict), async (c) => {
    return c.json(recordView(await e.unrestrict(actorOf(c), c.req.valid('param').id)), 200);
  });
  app.openapi(apiRoute(kit, purge), async (c) => {
    return c.json(erasedView(await e.purge(actorOf(c), c.req.valid('param').id)), 200);
  });
}
