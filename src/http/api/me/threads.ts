import { z } from '@hono/zod-openapi';
import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import type { RouteKit } from '../../routes.ts';
import type { HttpDeps } from '../../types.ts';
import { registeredPatientOf } from '../actors.ts';
import { id } from '../schemas.ts';
import { messageJson, readBack, replyBody, threadDetailJson, threadJson } from '../thread-json.ts';

const operations = apiOperations({ tags: ['Messages'], policy: 'patient' });
const list = operations.get('/', {
  summary:
    'My conversations with the clinic and my dependants’, latest first (no text), how many have a message I have not read (the tab badge), and whether I may start one and how soon the clinic replies (audited)',
  ok: [
    z.object({
      threads: z.array(threadJson),
      unread: z.int().describe('Threads with a clinic message not yet marked read'),
      settings: z.object({
        patientsMayStart: z.boolean().describe('false: I may only reply'),
        replyWithinDays: z
          .int()
          .nullable()
          .describe('"We reply within N working days", shown before sending'),
      }),
    }),
    'My threads',
  ],
});
const start = operations.post('/', {
  summary:
    'Start a conversation (about me, or a dependant with `patientId`): the clinic is told, never by the text. 403 patients_cannot_start_threads when the clinic takes replies only; 429 messages_rate_limited past 20 messages an hour',
  body: replyBody.extend({
    subject: z.string().describe('At most 200 characters'),
    patientId: id.optional().describe('A dependant of mine (default: me)'),
  }),
  created: [z.object({ thread: threadJson, message: messageJson }), 'Started'],
  refuses: [401, 403, 404, 422, 429],
});
const read = operations.get('/{id}', {
  summary: 'One conversation with its messages (audited; does not mark it read)',
  ok: [threadDetailJson, 'The thread'],
});
const reply = operations.post('/{id}/messages', {
  summary:
    'Reply: a closed conversation opens again if the clinic allows it, else 409 thread_closed (start a new one); 429 messages_rate_limited',
  body: replyBody,
  created: [z.object({ message: messageJson }), 'Sent'],
  responses: { 409: { description: 'thread_closed' } },
  refuses: [401, 403, 404, 422, 429],
});
const markRead = operations.post('/{id}/read', {
  summary: 'Mark a conversation read (up to now)',
  noContent: 'Marked',
});

/**
 * `/api/v1/me/threads`: the patient app's messages with the clinic, held by the domain to the
 * signed-in patient's record and the dependants they are guardian of now.
 */
export function meThreadsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const actor = registeredPatientOf(c);
    const threads = await deps.messaging.listOwn(actor);
    const { patientsMayStart, replyWithinDays } = await deps.messaging.settings();
    return c.json(
      {
        threads,
        unread: await deps.messaging.unreadOwn(actor),
        settings: { patientsMayStart, replyWithinDays },
      },
      200,
    );
  });
  app.openapi(apiRoute(kit, start), async (c) => {
    const actor = registeredPatientOf(c);
    const written = await deps.messaging.startOwn(actor, await c.req.json());
    return c.json(await readBack(written, (id) => deps.messaging.readOwn(actor, id)), 201);
  });
  app.openapi(apiRoute(kit, read), async (c) => {
    const detail = await deps.messaging.readOwn(registeredPatientOf(c), c.req.valid('param').id);
    return c.json(detail, 200);
  });
  app.openapi(apiRoute(kit, reply), async (c) => {
    const actor = registeredPatientOf(c);
    const written = await deps.messaging.replyOwn(actor, c.req.valid('param').id, await c.req.json());
    const { message } = await readBack(written, (id) => deps.messaging.readOwn(actor, id));
    return c.json({ message }, 201);
  });
  app.openapi(apiRoute(kit, markRead), async (c) => {
    await deps.messaging.markOwnRead(registeredPatientOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
