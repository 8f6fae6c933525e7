import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { readJson } from '../../kit/json.ts';
import { safeNext } from '../../middleware/staff-auth.ts';
import { relyingParty } from '../../relying-party.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { NEEDS_TLS, type SignIn } from '../sign-in.ts';

/** `/staff/login/passkey`: passwordless sign-in (user verification on the device: both factors at once). */
export function staffPasskeySignInRoutes(deps: HttpDeps, { authorize }: RouteKit, signIn: SignIn) {
  const app = new Hono<AppEnv>();
  app.post('/options', authorize('public'), signIn.limit, async (c) =>
    c.json(await deps.staff.passkeys.signInOptions(relyingParty(c, deps.staff.baseUrl))),
  );
  app.post('/', authorize('public'), signIn.limit, async (c) => {
    if (!c.get('cookies')) throw new AppError('tls_required', NEEDS_TLS, { status: 403 });
    const answer = await readJson(c, z.record(z.string(), z.unknown()));
    const account = await deps.staff.passkeys.signIn(answer as never, relyingParty(c, deps.staff.baseUrl));
    await signIn.start(c, account, true, 'passkey');
    return c.json({ redirect: safeNext(c.req.query('next')) });
  });
  return app;
}
