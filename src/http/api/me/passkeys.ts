import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import { relyingParty } from '../../relying-party.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { registeredPatientOf, registeredSessionOf } from '../actors.ts';
import { passkeys, webauthnJson } from '../schemas.ts';

const passkeyInput = z.strictObject({ name: z.string().max(80), response: webauthnJson });
const operations = apiOperations({ tags: ['Patient'], policy: 'patient' });
const list = operations.get('/', {
  summary: 'My passkeys',
  ok: [passkeys, 'Passkeys'],
});
const options = operations.post('/options', {
  summary: 'WebAuthn options to add a passkey (within 15 minutes of a code sign-in)',
  ok: [webauthnJson, 'PublicKeyCredentialCreationOptionsJSON'],
});
const add = operations.post('/', {
  summary: 'Add a passkey (the browser’s WebAuthn answer and a name)',
  body: passkeyInput,
  created: [passkeys, 'Added'],
  conflicts: 'passkey_invalid: the browser’s answer did not verify (or its challenge was used)',
  refuses: [401, 403, 422],
});
const remove = operations.delete('/{id}', {
  summary: 'Remove one of my passkeys',
  noContent: 'Removed',
});

/** `/api/v1/me/passkeys`: added within 15 minutes of a code sign-in, then enough to sign in alone. */
export function mePasskeysApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const rp = (c: Context<AppEnv>) => relyingParty(c, deps.staff.baseUrl);

  app.openapi(apiRoute(kit, list), async (c) =>
    c.json({ passkeys: await deps.patientPasskeys.list(registeredSessionOf(c).patientId) }, 200),
  );
  app.openapi(apiRoute(kit, options), async (c) =>
    c.json(await deps.patientPasskeys.registrationOptions(registeredSessionOf(c), rp(c)), 200),
  );
  app.openapi(apiRoute(kit, add), async (c) => {
    const { name, response } = c.req.valid('json');
    const session = registeredSessionOf(c);
    await deps.patientPasskeys.register(registeredPatientOf(c), session, response as never, rp(c), name);
    return c.json({ passkeys: await deps.patientPasskeys.list(session.patientId) }, 201);
  });
  app.openapi(apiRoute(kit, remove), async (c) => {
    const { patientId } = registeredSessionOf(c);
    await deps.patientPasskeys.remove(registeredPatientOf(c), patientId, c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
