import { type Context, Hono } from 'hono';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { jsonBody } from './appointments.ts';

/**
 * Web push for the patient app: the VAPID public key (to subscribe with), and saving or
 * forgetting this device's subscription (`PushSubscription.toJSON()`). Saving the same endpoint
 * again answers the same id.
 */
export function pushApi(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const push = deps.notifications.push;
  const me = (c: Context<AppEnv>) => ({
    ...actorOf(c, null),
    type: 'patient' as const,
    id: c.get('patient')!.patientId!,
  });

  app.get('/api/v1/push/public-key', authorize('public'), async (c) =>
    c.json({ publicKey: await push.publicKey() }),
  );
  app.post('/api/v1/me/push-subscriptions', authorize('patient'), async (c) => {
    const saved = await push.subscribe(me(c), await jsonBody(c), c.req.header('user-agent') ?? null);
    return c.json({ id: saved.id }, 201);
  });
  app.delete('/api/v1/me/push-subscriptions', authorize('patient'), async (c) => {
    await push.unsubscribe(me(c), await jsonBody(c));
    return c.body(null, 204);
  });
  return app;
}
