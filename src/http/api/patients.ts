import { z } from '@hono/zod-openapi';
import { patientInput } from '../../domain/patients/index.ts';
import { answer, apiOperations, apiRoute, createApi, idParams, jsonBody, refusals } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { patientRecordView } from './patient-view.ts';
import { message, patient, withPatient } from './schemas.ts';

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
const operations = apiOperations({ tags: ['Patients'], policy: 'patients.write' });
const create = operations.post('/', {
  summary: 'Create a patient record',
  request: { body: jsonBody(patientInput) },
  responses: { 201: answer(withPatient, 'Created'), ...refusals(401, 403, 422) },
});
const search = operations.get('/', {
  policy: 'patients.read',
  summary: 'Find patients by name, email or phone (audited)',
  request: { query: z.object({ q: z.string().default('').describe('At least two characters') }) },
  responses: { 200: answer(z.object({ patients: z.array(patient) }), 'Matches'), ...refusals(401, 403) },
});
const invite = operations.post('/{id}/invite', {
  summary: 'Invite a patient to the portal by email or SMS (their date of birth is checked on acceptance)',
  request: { params: idParams, body: jsonBody(inviteInput) },
  responses: { 202: answer(message, 'Invitation queued'), ...refusals(401, 403, 404, 409, 422) },
});
const get = operations.get('/{id}', {
  policy: 'patients.read',
  summary: 'One patient record (audited)',
  request: { params: idParams },
  responses: { 200: answer(withPatient, 'The patient'), ...refusals(401, 403, 404) },
});

/** `/api/v1/patients`: patient records for staff and integrations: create, search, read, invite. */
export function patientsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, create), async (c) => {
    // The record's schema turns blanks into null, which it would not take a second time: the
    // domain parses the body as sent.
    const created = await deps.patients.create(actorOf(c), await c.req.json());
    return c.json({ patient: patientRecordView(created) }, 201);
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
    c.json({ patient: patientRecordView(await deps.patients.get(actorOf(c), c.req.valid('param').id)) }, 200),
  );
  return app;
}
