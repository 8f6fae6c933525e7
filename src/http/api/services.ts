import { Hono } from 'hono';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** Public booking API: the clinic and what can be booked online (no sign-in needed to look). */
export function servicesApi(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
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
  // What the patient app needs before sign-in: the name, the zone its times are shown in, the rules.
  app.get('/api/v1/clinic', authorize('public'), async (c) => {
    const clinic = await deps.clinic.get();
    return c.json({
      clinic: {
        name: clinic.name,
        timeZone: clinic.timeZone,
        locale: clinic.locale,
        address: clinic.address,
        phone: clinic.phone,
        horizonDays: clinic.horizonDays,
        cancellationWindowHours: clinic.cancellationWindowHours,
        selfBooking: clinic.selfBooking,
        selfRegistration: clinic.selfRegistration,
      },
    });
  });
  app.get('/api/v1/practitioners', authorize('public'), async (c) => {
    const serviceId = c.req.query('serviceId');
    const practitioners = (await deps.practitioners.listBookable()).filter(
      (p) => !serviceId || p.serviceIds.includes(serviceId),
    );
    return c.json({
      practitioners: practitioners.map((p) => ({
        id: p.accountId,
        displayName: p.profile!.displayName,
        title: p.profile!.title,
        bio: p.profile!.bio,
        colour: p.profile!.colour,
        serviceIds: p.serviceIds,
      })),
    });
  });
  return app;
}
