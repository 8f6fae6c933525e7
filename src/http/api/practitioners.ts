import { z } from '@hono/zod-openapi';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { practitioner } from './schemas.ts';

const list = apiOperations({ tags: ['Booking'], policy: 'public' }).get('/', {
  summary: 'Practitioners bookable online (optionally for one service)',
  query: z.object({ serviceId: z.string().optional() }),
  ok: [z.object({ practitioners: z.array(practitioner) }), 'The practitioners'],
});

/** `/api/v1/practitioners`: who can be booked online (public). */
export function practitionersApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const { serviceId } = c.req.valid('query');
    const practitioners = (await deps.practitioners.listBookable())
      .filter((p) => !serviceId || p.serviceIds.includes(serviceId))
      .map((p) => ({
        id: p.accountId,
        displayName: p.profile!.displayName,
        title: p.profile!.title,
        bio: p.profile!.bio,
        colour: p.profile!.colour,
        serviceIds: p.serviceIds,
      }));
    return c.json({ practitioners }, 200);
  });
  return app;
}
