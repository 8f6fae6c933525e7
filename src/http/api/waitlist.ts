import { z } from '@hono/zod-openapi';
import { waitlistInput } from '../../domain/scheduling/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { bookerOf } from './actors.ts';
import { entries, waitlistEntry } from './schemas.ts';

const operations = apiOperations({ tags: ['Waitlist'], policy: 'patients.write|patient' });
const join = operations.post('/', {
  summary:
    'Put a patient on the waitlist (a patient: themselves or a dependant); 409 waitlist_duplicate when ' +
    'they already wait for the service with the same practitioner (or anyone) on overlapping dates',
  body: waitlistInput,
  created: [z.object({ entry: waitlistEntry }), 'Added'],
  conflicts: 'waitlist_duplicate: already waiting for it on overlapping dates',
  refuses: [401, 403, 404, 422],
});
const list = operations.get('/', {
  policy: 'patients.read',
  summary: 'Who is waiting, oldest first',
  ok: [entries, 'Entries'],
});
const remove = operations.delete('/{id}', {
  summary: 'Take an entry off the waitlist',
  noContent: 'Removed',
});

/** `/api/v1/waitlist`: who is waiting for a free time; patients add themselves or a dependant. */
export function waitlistApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, join), async (c) => {
    const entry = await deps.waitlist.join(bookerOf(c).actor, c.req.valid('json'));
    return c.json({ entry }, 201);
  });
  app.openapi(apiRoute(kit, list), async (c) =>
    c.json({ entries: await deps.waitlist.list(actorOf(c)) }, 200),
  );
  app.openapi(apiRoute(kit, remove), async (c) => {
    await deps.waitlist.remove(bookerOf(c).actor, c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
