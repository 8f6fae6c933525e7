import { Hono } from 'hono';
import type { Authorizer, RoutePolicy } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** Public booking API: what can be booked online (no sign-in needed to look). */
export function servicesApi(deps: HttpDeps, authorize: (p: RoutePolicy) => Authorizer) {
  const app = new Hono<AppEnv>();
  app.get('/api/v1/services', authorize('public'), async (c) => {
    const services = await deps.services.listBookable();
    return c.json({
      services: services.map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        durationMin: s.durationMin,
        newPatientsAllowed: s.newPatientsAllowed,
        requiresApproval: s.requiresApproval,
      })),
    });
  });
  return app;
}
