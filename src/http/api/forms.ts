import { z } from '@hono/zod-openapi';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { formDetailJson, formDetailOut, formSummaryJson, formSummaryOut } from './form-json.ts';
import { id } from './schemas.ts';

const formParams = z.object({ id: z.string().describe('The patient’s id'), formId: z.string() });

const chart = apiOperations({ tags: ['Forms'], policy: 'patients.write' });
const send = chart.post('/{id}/forms', {
  summary:
    'Send a form template (its latest version) to a patient, optionally for one of their appointments: they fill it in the patient app, told by message (never its contents) and reminded once a day before that appointment',
  body: z.object({
    templateId: id.describe('A form template'),
    appointmentId: id.nullable().optional().describe('An appointment of this patient'),
  }),
  created: [z.object({ form: formSummaryJson }), 'Sent'],
});
const listOfPatient = chart.get('/{id}/forms', {
  policy: 'patients.read',
  summary:
    'The forms sent to a patient, newest first, with their status (never answers: clinical roles read them one by one; audited)',
  ok: [z.object({ forms: z.array(formSummaryJson) }), 'The forms'],
});
const read = chart.get('/{id}/forms/{formId}', {
  policy: 'clinical.read',
  summary: 'A patient’s form with its fields, answers and signature (clinical roles; audited)',
  params: formParams,
  ok: [z.object({ form: formDetailJson }), 'The form'],
});
const review = chart.post('/{id}/forms/{formId}/review', {
  policy: 'clinical.read',
  summary: 'Mark a submitted form reviewed (409 form_not_submitted otherwise)',
  params: formParams,
  ok: [z.object({ form: formSummaryJson }), 'Reviewed'],
  responses: { 409: { description: 'form_not_submitted' } },
});

/** `/api/v1/patients/{id}/forms`: a chart's forms — send one, list them, read one (clinical), mark reviewed. */
export function patientFormsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, send), async (c) => {
    const row = await deps.forms.send(actorOf(c), c.req.valid('param').id, await c.req.json());
    const { forms } = await deps.forms.listOfPatient(actorOf(c), row.patientId);
    return c.json({ form: formSummaryOut(forms.find((f) => f.id === row.id)!) }, 201);
  });
  app.openapi(apiRoute(kit, listOfPatient), async (c) => {
    const { forms } = await deps.forms.listOfPatient(actorOf(c), c.req.valid('param').id);
    return c.json({ forms: forms.map(formSummaryOut) }, 200);
  });
  app.openapi(apiRoute(kit, read), async (c) => {
    const { id: patientId, formId } = c.req.valid('param');
    const form = await deps.forms.read(actorOf(c), formId, { patientId });
    return c.json({ form: formDetailOut(form) }, 200);
  });
  app.openapi(apiRoute(kit, review), async (c) => {
    const { id: patientId, formId } = c.req.valid('param');
    const form = await deps.forms.markReviewed(actorOf(c), formId, { patientId });
    return c.json({ form: formSummaryOut(form) }, 200);
  });
  return app;
}
