import { z } from '@hono/zod-openapi';
import { answer, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { practitioner } from './schemas.ts';

/** `/api/v1/practitioners`: who can be booked online (public). */
export function practitionersApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const list = apiRoute(kit, {
    method: 'get',
    path: '/',
    policy: 'public',
    tags: ['Booking'],
    summary: 'Practitioners bookable online (optionally for one service)',
    request: { query: z.object({ serviceId: z.string().optional() }) },
    responses: { 200: answer(z.object({ practitioners: z.array(practitioner) }), 'The practitioners') },
  });
  app.openapi(list, async (c) => {
    const { serviceId } = c.req.valid('query');
    const practitioners = (await deps.practitioners.listBookable()).filter(
      (p) => !serviceId || p.serviceIds.includes(serviceId),
    );
    return c.json(
      {
        practitioners: practitioners.map((p) => ({
          id: p.accountId,
          displayName: p.profile!.displayName,
          title: p.profile!.title,
          bio: p.profile!.bio,
          colour: p.profile!.colour,
          serviceIds: p.serviceIds,
        })),
      },
      200,
    );
  });
  return app;
}
