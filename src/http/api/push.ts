import { z } from '@hono/zod-openapi';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';

const publicKey = apiOperations({ tags: ['Push'], policy: 'public' }).get('/public-key', {
  summary: 'The VAPID public key (base64url) to subscribe to web push with',
  ok: [z.object({ publicKey: z.string() }), 'The key'],
});

/** `/api/v1/push`: the VAPID public key the patient app subscribes to web push with. */
export function pushApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, publicKey), async (c) =>
    c.json({ publicKey: await deps.notifications.push.publicKey() }, 200),
  );
  return app;
}
