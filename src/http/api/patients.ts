import { Hono } from 'hono';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { jsonBody } from './appointments.ts';

const view = (p: Awaited<ReturnType<HttpDeps['patients']['get']>>) => ({
  id: p.id,
  firstName: p.firstName,
  lastName: p.lastName,
  dateOfBirth: p.dateOfBirth,
  email: p.email,
  phone: p.phone,
});

/** Patient records for staff and integrations: create, search, read. */
export function patientsApi(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.post('/api/v1/patients', authorize('patients.write'), async (c) => {
    const patient = await deps.patients.create(actorOf(c), await jsonBody(c));
    return c.json({ patient: view(patient) }, 201);
  });
  app.get('/api/v1/patients', authorize('patients.read'), async (c) => {
    const patients = await deps.patients.search(actorOf(c), c.req.query('q') ?? '');
    return c.json({ patients: patients.map(view) });
  });
  app.post('/api/v1/patients/:id/invite', authorize('patients.write'), async (c) => {
    const body = await jsonBody(c);
    await deps.patientInvites.invite(actorOf(c), c.req.param('id'), {
      email: typeof body.email === 'string' ? body.email : undefined,
      phone: typeof body.phone === 'string' ? body.phone : undefined,
    });
    return c.json({ message: 'The invitation is on its way.' }, 202);
  });
  app.get('/api/v1/patients/:id', authorize('patients.read'), async (c) => {
    return c.json({ patient: view(await deps.patients.get(actorOf(c), c.req.param('id'))) });
  });
  return app;
}
