import { z } from '@hono/zod-openapi';
import { answer, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { service } from './schemas.ts';

/** `/api/v1/services`: what can be booked online (public: no sign-in needed to look). */
export function servicesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const list = apiRoute(kit, {
    method: 'get',
    path: '/',
    policy: 'public',
    tags: ['Booking'],
    summary: 'Services bookable online',
    responses: { 200: answer(z.object({ services: z.array(service) }), 'The services') },
  });
  app.openapi(list, async (c) => {
    const services = await deps.services.listBookable();
    return c.json(
      {
        services: services.map((s) => ({
          id: s.id,
          name: s.name,
          description: s.description,
          durationMin: s.durationMin,
          newPatientsAllowed: s.newPatientsAllowed,
          requiresApproval: s.requiresApproval,
        })),
      },
      200,
    );
  });
  return app;
}
