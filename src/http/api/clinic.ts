import { z } from '@hono/zod-openapi';
import { answer, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { clinic } from './schemas.ts';

/** `/api/v1/clinic`: what the patient app needs before sign-in: the name, the zone its times are shown in, the rules. */
export function clinicApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const get = apiRoute(kit, {
    method: 'get',
    path: '/',
    policy: 'public',
    tags: ['Booking'],
    summary: 'The clinic: name, time zone and booking rules',
    responses: { 200: answer(z.object({ clinic }), 'The clinic') },
  });
  app.openapi(get, async (c) => {
    const settings = await deps.clinic.get();
    return c.json(
      {
        clinic: {
          name: settings.name,
          timeZone: settings.timeZone,
          locale: settings.locale,
          address: settings.address,
          phone: settings.phone,
          horizonDays: settings.horizonDays,
          cancellationWindowHours: settings.cancellationWindowHours,
          selfBooking: settings.selfBooking,
          selfRegistration: settings.selfRegistration,
        },
      },
      200,
    );
  });
  return app;
}
