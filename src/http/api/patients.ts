import { z } from '@hono/zod-openapi';
import {
  alertChangeInput,
  alertInput,
  PatientVersionConflict,
  patientInput,
  recordChangeInput,
} from '../../domain/patients/index.ts';
import { apiOperations, apiRoute, createApi, idParams } from '../kit/api.ts';
import { orVersionConflict } from '../kit/version-conflict.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { optionalChoice } from './optional-query.ts';
import { patientRecordView } from './patient-view.ts';
import { patientEraseApi } from './patients-erase.ts';
import { patientMergeApi } from './patients-merge.ts';
import {
  alertJson,
  alertView,
  changeView,
  historyJson,
  recordConflictAnswer,
  staffPatientView,
  withStaffPatient,
} from './patients-record.ts';
import { idempotencyKey, message, patient, withPatient } from './schemas.ts';

/** Where a patient is invited (the domain checks the address); anything but text is ignored. */
const inviteInput = z.object({
  email: z
    .string()
    .optional()
    .catch(undefined)
    .openapi({ type: 'string', description: 'By email (else the email on record)' }),
  phone: z
    .string()
    .optional()
    .catch(undefined)
    .openapi({ type: 'string', description: 'By SMS instead, with country code' }),
});
/** Staff read records with `patients.read` and change them with `patients.write`. */
const reads = apiOperations({ tags: ['Patients'], policy: 'patients.read' });
const writes = apiOperations({ tags: ['Patients'], policy: 'patients.write' });
const create = writes.post('/', {
  summary: 'Create a patient record (send an Idempotency-Key header to make retries safe)',
  headers: idempotencyKey,
  body: patientInput,
  created: [withPatient, 'Created (or the first answer again, with Idempotent-Replayed: true)'],
});
const search = reads.get('/', {
  summary: 'Find patients by name, email or phone (audited)',
  query: z.object({ q: z.string().default('').describe('At least two characters') }),
  ok: [z.object({ patients: z.array(patient) }), 'Matches'],
});
const invite = writes.post('/{id}/invite', {
  summary: 'Invite a patient to the portal by email or SMS (their date of birth is checked on acceptance)',
  body: inviteInput,
  accepted: [message, 'Invitation queued'],
  conflicts: 'already_registered: that address already signs in to the portal',
  refuses: [401, 403, 404, 422],
});
const get = reads.get('/{id}', {
  summary: 'One patient record, with its `version` (audited)',
  ok: [withStaffPatient, 'The patient'],
});
const update = writes.patch('/{id}', {
  summary:
    'Change a patient record: only the fields sent change (null or "" clears an optional one); `version` must be the one read. Every field changed is kept in the history (old, new, who, when) and audited',
  body: recordChangeInput,
  ok: [withStaffPatient, 'Saved: version + 1 (unchanged when nothing differed)'],
  conflicts: recordConflictAnswer,
});
const versionBody = z.object({
  version: z.int().optional().describe('Only if the record is still at this version'),
});
/** Archiving and bringing back: the same version-checked change of the record's status. */
const statusChange = <const P extends string>(path: P, summary: string, done: string) =>
  writes.post(path, {
    summary,
    params: idParams,
    body: versionBody,
    ok: [withStaffPatient, done],
    conflicts: recordConflictAnswer,
  });
const archive = statusChange(
  '/{id}/archive',
  'Archive a record: out of search and booking pickers, cannot be booked; everything is kept',
  'Archived',
);
const unarchive = statusChange('/{id}/unarchive', 'Bring an archived record back', 'Active again');
const history = reads.get('/{id}/history', {
  summary: 'Every change of the record, newest first: field, old and new value, who, when (audited)',
  ok: [historyJson, 'The changes'],
});
const alertList = reads.get('/{id}/alerts', {
  summary:
    'The chart’s alerts (allergies, medical alerts, admin notes), shown to every staff member who reads records; `all=1` adds resolved ones (audited)',
  query: z.object({
    all: optionalChoice(['1'], 'With 1: resolved alerts too'),
  }),
  ok: [z.object({ alerts: z.array(alertJson) }), 'The alerts'],
});
const alertAdd = writes.post('/{id}/alerts', {
  summary:
    'Add an alert. Allergies and medical alerts need a clinical role (clinical.write); admin notes, anyone who may change records',
  body: alertInput,
  created: [z.object({ alert: alertJson }), 'Added'],
});
const alertResolve = writes.patch('/{id}/alerts/{alertId}', {
  summary: 'Resolve an alert (`{"resolved": true}`): it leaves the banner and stays in `all=1`',
  params: idParams.extend({ alertId: z.string().describe('The alert’s id') }),
  body: alertChangeInput,
  ok: [z.object({ alert: alertJson }), 'Resolved'],
  conflicts: 'already_resolved: the alert was resolved already',
  refuses: [401, 403, 404, 422],
});

/**
 * `/api/v1/patients`: patient records for staff and integrations: create, search, read, change
 * (version-checked, with history), archive, alerts, invite, merge (patients-merge.ts).
 */
export function patientsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, create), async (c) => {
    // The record's schema turns blanks into null, which it would not take a second time: the
    // domain parses the body as sent.
    const body = await c.req.json();
    const key = c.req.valid('header')['Idempotency-Key'];
    const { patient, replayed } = key
      ? await deps.patients.createOnce(actorOf(c), body, key)
      : { patient: await deps.patients.create(actorOf(c), body), replayed: false };
    if (replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Location', `/api/v1/patients/${patient.id}`);
    return c.json({ patient: patientRecordView(patient) }, 201);
  });
  app.openapi(apiRoute(kit, search), async (c) => {
    const patients = await deps.patients.search(actorOf(c), c.req.valid('query').q);
    return c.json({ patients: patients.map(patientRecordView) }, 200);
  });
  app.openapi(apiRoute(kit, invite), async (c) => {
    await deps.patientInvites.invite(actorOf(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ message: 'The invitation is on its way.' }, 202);
  });
  app.openapi(apiRoute(kit, get), async (c) =>
    c.json({ patient: staffPatientView(await deps.patients.get(actorOf(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(apiRoute(kit, update), async (c) =>
    orVersionConflict(c, PatientVersionConflict, async () => {
      const row = await deps.patients.update(actorOf(c), c.req.valid('param').id, await c.req.json());
      return c.json({ patient: staffPatientView(row) }, 200);
    }),
  );
  for (const [route, archived] of [
    [archive, true],
    [unarchive, false],
  ] as const) {
    app.openapi(apiRoute(kit, route), async (c) =>
      orVersionConflict(c, PatientVersionConflict, async () => {
        const id = c.req.valid('param').id;
        const body = c.req.valid('json');
        const row = archived
          ? await deps.patients.archive(actorOf(c), id, body)
          : await deps.patients.unarchive(actorOf(c), id, body);
        return c.json({ patient: staffPatientView(row) }, 200);
      }),
    );
  }
  app.openapi(apiRoute(kit, history), async (c) => {
    const rows = await deps.patients.history(actorOf(c), c.req.valid('param').id);
    return c.json({ changes: rows.map(changeView) }, 200);
  });
  app.openapi(apiRoute(kit, alertList), async (c) => {
    const all = c.req.valid('query').all === '1';
    const rows = await deps.patients.alerts(actorOf(c), c.req.valid('param').id, { all });
    return c.json({ alerts: rows.map(alertView) }, 200);
  });
  app.openapi(apiRoute(kit, alertAdd), async (c) => {
    const row = await deps.patients.addAlert(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ alert: alertView(row) }, 201);
  });
  app.openapi(apiRoute(kit, alertResolve), async (c) => {
    const { id, alertId } = c.req.valid('param');
    const row = await deps.patients.resolveAlert(actorOf(c), id, alertId, await c.req.json());
    return c.json({ alert: alertView(row) }, 200);
  });
  patientMergeApi(app, deps, kit);
  patientEraseApi(app, deps, kit);
  return app;
}
