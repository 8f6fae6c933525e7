import { z } from '@hono/zod-openapi';
import { dependentInput, ownProfileInput, registrationInput } from '../../domain/patients/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { patientActorOf, registeredPatientOf } from './actors.ts';
import { ownView, registeredMe } from './patient-view.ts';
import { entries, me, patient, patientAppointment, withPatient } from './schemas.ts';

const operations = apiOperations({ tags: ['Patient'], policy: 'patient' });
const get = operations.get('/', {
  policy: 'patient-session',
  summary: 'The signed-in patient (null until registered)',
  ok: [me, 'Me'],
});
const register = operations.post('/registration', {
  policy: 'patient-session',
  summary: 'Register after verifying an unknown address',
  body: registrationInput,
  created: [withPatient, 'Registered'],
  conflicts: 'already_registered: this session, or this address, is registered already',
  refuses: [401, 403, 422],
});
const update = operations.patch('/', {
  summary:
    'Change my language, my message preferences (notifications: per channel, SMS quiet hours), or my email/phone (within 15 minutes of signing in)',
  body: ownProfileInput,
  ok: [me, 'Me'],
});
const dependents = operations.get('/dependents', {
  summary: 'The family members I book for',
  ok: [z.object({ dependents: z.array(patient) }), 'Dependants'],
});
const addDependent = operations.post('/dependents', {
  summary: 'Add a family member I book for',
  body: dependentInput,
  created: [withPatient, 'Added'],
});
const waitlist = operations.get('/waitlist', {
  summary: 'My (and my family’s) waitlist entries',
  ok: [entries, 'Entries'],
});
const appointments = operations.get('/appointments', {
  summary: 'My (and my family’s) appointments, newest first',
  ok: [z.object({ appointments: z.array(patientAppointment) }), 'Appointments'],
});

/**
 * `/api/v1/me`: the signed-in patient's own record (registration first, for a new address),
 * their family, their waitlist entries and their appointments.
 */
export function meApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();

  app.openapi(apiRoute(kit, get), async (c) => {
    const session = c.get('patient')!;
    if (!session.patientId) return c.json({ patient: null, registrationRequired: true }, 200);
    const record = await deps.patients.get(patientActorOf(c), session.patientId);
    return c.json(await registeredMe(deps, record), 200);
  });

  app.openapi(apiRoute(kit, register), async (c) => {
    // The record's schema turns a blank phone into null, which it would not take a second time:
    // the domain parses the body as sent.
    const body = await c.req.json();
    const record = await deps.patientRegistration.register(c.get('patient')!, body, patientActorOf(c));
    return c.json({ patient: await ownView(deps, record) }, 201);
  });

  app.openapi(apiRoute(kit, update), async (c) => {
    const session = c.get('patient')!;
    const record = await deps.patients.updateOwn(registeredPatientOf(c), c.req.valid('json'), session);
    return c.json(await registeredMe(deps, record), 200);
  });

  app.openapi(apiRoute(kit, dependents), async (c) => {
    const family = await deps.patientFamily.dependents(registeredPatientOf(c));
    return c.json({ dependents: await Promise.all(family.map((p) => ownView(deps, p))) }, 200);
  });

  app.openapi(apiRoute(kit, addDependent), async (c) => {
    const record = await deps.patientFamily.addDependent(registeredPatientOf(c), c.req.valid('json'));
    return c.json({ patient: await ownView(deps, record) }, 201);
  });

  app.openapi(apiRoute(kit, waitlist), async (c) =>
    c.json({ entries: await deps.waitlist.listForPatient(registeredPatientOf(c)) }, 200),
  );

  // The list comes from memory while nothing in it changes (db/versioned-read.ts): its JSON is
  // made once per list, not per read (it was a seventh of the read's CPU).
  const listJson = new WeakMap<object, string>();
  app.openapi(apiRoute(kit, appointments), async (c) => {
    const list = await deps.appointments.listForPatient({ actor: registeredPatientOf(c) });
    let json = listJson.get(list);
    if (json === undefined) {
      json = JSON.stringify({ appointments: list });
      listJson.set(list, json);
    }
    // What c.json would answer, from the text made before (typed as c.json's answer).
    const answer = c.body(json, 200, { 'content-type': 'application/json' });
    return answer as unknown as ReturnType<typeof c.json<{ appointments: typeof list }, 200>>;
  });
  return app;
}
