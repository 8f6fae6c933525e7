import { z } from '@hono/zod-openapi';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { clinic } from './schemas.ts';

const get = apiOperations({ tags: ['Booking'], policy: 'public' }).get('/', {
  summary: 'The clinic: name, time zone and booking rules',
  ok: [z.object({ clinic }), 'The clinic'],
});

/** `/api/v1/clinic`: what the patient app needs before sign-in: the name, the zone its times are shown in, the rules. */
export function clinicApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, get), async (c) => {
    const s = await deps.clinic.get();
    return c.json(
      {
        clinic: {
          name: s.name,
          timeZone: s.timeZone,
          locale: s.locale,
          address: s.address,
          phone: s.phone,
          horizonDays: s.horizonDays,
          cancellationWindowHours: s.cancellationWindowHours,
          selfBooking: s.selfBooking,
          selfRegistration: s.selfRegistration,
        },
      },
      200,
    );
  });
  return app;
}
