import { z } from '@hono/zod-openapi';
import { slotSearchInput } from '../../domain/scheduling/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { slot } from './schemas.ts';

/** The domain's search; a missing serviceId reads as empty, so the answer names it as the domain does. */
const slotQuery = slotSearchInput.extend({
  serviceId: slotSearchInput.shape.serviceId.prefault('').openapi({ param: { required: true } }),
});

const search = apiOperations({ tags: ['Booking'], policy: 'public' }).get('/', {
  summary: 'Free start times for a service (at most 31 days)',
  query: slotQuery,
  ok: [z.object({ slots: z.array(slot) }), 'Slots, earliest first'],
  refuses: [404, 422],
});

/** `/api/v1/slots`: free start times for a service (public). */
export function slotsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, search), async (c) => {
    const { practitionerId, ...query } = c.req.valid('query');
    // An empty practitionerId (the app's "anyone") searches every practitioner.
    const slots = await deps.slots.search({ ...query, ...(practitionerId ? { practitionerId } : {}) });
    c.header('Cache-Control', 'no-store');
    const answered = slots.map((s) => ({
      practitionerId: s.practitionerId,
      start: s.start.toISOString(),
      end: s.end.toISOString(),
    }));
    return c.json({ slots: answered }, 200);
  });
  return app;
}
