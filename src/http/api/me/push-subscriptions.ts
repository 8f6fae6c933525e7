import { z } from '@hono/zod-openapi';
import { pushEndpointInput, pushSubscriptionInput } from '../../../domain/notifications/index.ts';
import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import type { RouteKit } from '../../routes.ts';
import type { HttpDeps } from '../../types.ts';
import { registeredPatientOf } from '../actors.ts';
import { id } from '../schemas.ts';

const operations = apiOperations({ tags: ['Push'], policy: 'patient' });
const save = operations.post('/', {
  summary:
    'Save this device’s push subscription (PushSubscription.toJSON()); the same endpoint again answers the same id',
  body: pushSubscriptionInput,
  created: [z.object({ id }), 'Saved'],
});
const forget = operations.delete('/', {
  summary: 'Forget this device’s push subscription',
  body: pushEndpointInput,
  noContent: 'Forgotten',
});

/**
 * `/api/v1/me/push-subscriptions`: saving or forgetting this device's web push subscription
 * (`PushSubscription.toJSON()`). Saving the same endpoint again answers the same id.
 */
export function mePushSubscriptionsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const { push } = deps.notifications;
  app.openapi(apiRoute(kit, save), async (c) => {
    const userAgent = c.req.header('user-agent') ?? null;
    const saved = await push.subscribe(registeredPatientOf(c), c.req.valid('json'), userAgent);
    return c.json({ id: saved.id }, 201);
  });
  app.openapi(apiRoute(kit, forget), async (c) => {
    await push.unsubscribe(registeredPatientOf(c), c.req.valid('json'));
    return c.body(null, 204);
  });
  return app;
}
