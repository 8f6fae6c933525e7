import { z } from '@hono/zod-openapi';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { service } from './schemas.ts';

const list = apiOperations({ tags: ['Booking'], policy: 'public' }).get('/', {
  summary: 'Services bookable online',
  ok: [z.object({ services: z.array(service) }), 'The services'],
});

/** `/api/v1/services`: what can be booked online (public: no sign-in needed to look). */
export function servicesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const services = (await deps.services.listBookable()).map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      durationMin: s.durationMin,
      newPatientsAllowed: s.newPatientsAllowed,
      requiresApproval: s.requiresApproval,
      askReason: s.askReason,
    }));
    return c.json({ services }, 200);
  });
  return app;
}
