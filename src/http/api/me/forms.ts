import { z } from '@hono/zod-openapi';
import { FormVersionConflict } from '../../../domain/forms/index.ts';
import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import { orVersionConflict } from '../../kit/version-conflict.ts';
import type { RouteKit } from '../../routes.ts';
import type { HttpDeps } from '../../types.ts';
import { registeredPatientOf } from '../actors.ts';
import {
  formConflictAnswer,
  formDetailJson,
  formDetailOut,
  formSummaryJson,
  formSummaryOut,
} from '../form-json.ts';

const withForm = z.object({ form: formDetailJson });
const signature = z
  .union([
    z.object({
      kind: z.literal('drawn'),
      image: z.string().describe('The drawing as a PNG data URL (data:image/png;base64,…), at most 400 kB'),
    }),
    z.object({
      kind: z.literal('typed'),
      name: z.string().describe('The signer’s name as typed'),
      agreed: z.literal(true).describe('The box "I agree this is my signature" ticked'),
    }),
  ])
  .describe('Required when the form has a signature field');

const operations = apiOperations({ tags: ['Forms'], policy: 'patient' });
const list = operations.get('/', {
  summary:
    'The forms the clinic sent me and my dependants (each names its patientId), newest first, with their status (audited)',
  ok: [z.object({ forms: z.array(formSummaryJson) }), 'My forms'],
});
const read = operations.get('/{id}', {
  summary: 'One of my forms: its template version’s fields and the answers saved so far (audited)',
  ok: [withForm, 'The form'],
});
const save = operations.put('/{id}/answers', {
  summary:
    'Save answers as I go: those given are merged over the saved ones (null clears one), each checked against its field; `version` must be the one read (409 version_conflict, nothing changed); 409 form_submitted once submitted',
  body: z.object({
    version: z.int(),
    answers: z.record(z.string(), z.unknown()).describe('The answers that changed, keyed by field id'),
  }),
  ok: [withForm, 'Saved: version + 1'],
  conflicts: formConflictAnswer,
});
const submit = operations.post('/{id}/submit', {
  summary:
    'Submit a form: required fields answered, signed (drawn, or typed name with the agreement) when it has a signature field; the time and address are recorded, the form is locked and kept as a PDF in my documents at the clinic',
  body: z.object({ version: z.int(), signature: signature.optional() }),
  ok: [withForm, 'Submitted'],
  conflicts: formConflictAnswer,
});

/**
 * `/api/v1/me/forms`: the patient app's forms — filled in as the patient goes (each save names
 * the version read), submitted once with a signature — held by the domain to the signed-in
 * patient's record and their dependants'.
 */
export function meFormsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const forms = await deps.forms.listOwn(registeredPatientOf(c));
    return c.json({ forms: forms.map(formSummaryOut) }, 200);
  });
  app.openapi(apiRoute(kit, read), async (c) => {
    const form = await deps.forms.readOwn(registeredPatientOf(c), c.req.valid('param').id);
    return c.json({ form: formDetailOut(form) }, 200);
  });
  for (const [route, change] of [
    [save, deps.forms.saveOwn],
    [submit, deps.forms.submitOwn],
  ] as const) {
    app.openapi(apiRoute(kit, route), async (c) =>
      orVersionConflict(c, FormVersionConflict, async () => {
        const form = await change(registeredPatientOf(c), c.req.valid('param').id, await c.req.json());
        return c.json({ form: formDetailOut(form) }, 200);
      }),
    );
  }
  return app;
}
