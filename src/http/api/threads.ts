import { z } from '@hono/zod-openapi';
import { threadStatuses } from '../../domain/messaging/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { optionalChoice } from './optional-query.ts';
import { id } from './schemas.ts';
import { messageJson, readBack, replyBody, threadDetailJson, threadJson } from './thread-json.ts';

/** Staff read conversations with `patients.read`, and write in them with `patients.write`. */
const reads = apiOperations({ tags: ['Messages'], policy: 'patients.read' });
const writes = apiOperations({ tags: ['Messages'], policy: 'patients.write' });
const list = reads.get('/', {
  summary:
    'Conversations with patients, latest first (no text): filter by status, assignee (me, unassigned = the front desk, any, or a member’s id) and patient (audited)',
  query: z.object({
    status: optionalChoice(threadStatuses),
    assignee: z.string().max(100).optional().describe('me, unassigned, any (default) or a staff id'),
    patientId: id.optional(),
    limit: z.string().max(4).optional().describe('1–200 (50)'),
  }),
  ok: [z.object({ threads: z.array(threadJson) }), 'The threads'],
  refuses: [401, 403, 422],
});
const unread = reads.get('/unread', {
  summary:
    'The navigation badge: open threads assigned to me, and to the front desk, with a patient message I have not marked read',
  ok: [z.object({ mine: z.int(), unassigned: z.int(), total: z.int() }), 'Counts'],
});
const read = reads.get('/{id}', {
  summary: 'One conversation with its messages (audited; does not mark it read)',
  ok: [threadDetailJson, 'The thread'],
});
const reply = writes.post('/{id}/messages', {
  summary:
    'Reply to the patient (a closed thread opens again); they are told by their channels — never the text. Attached documents are shared with the patient',
  body: replyBody,
  created: [z.object({ message: messageJson }), 'Sent'],
});
const change = writes.patch('/{id}', {
  summary: 'Assign (a member, or null: the front desk), close or reopen a conversation',
  body: z.object({
    assignedTo: id.nullable().optional(),
    status: z.enum(threadStatuses).optional(),
  }),
  ok: [z.object({ thread: threadJson }), 'Changed'],
});
const markRead = reads.post('/{id}/read', {
  summary: 'Mark a conversation read for me',
  noContent: 'Marked',
});

const start = writes.post('/{id}/threads', {
  summary:
    'Start a conversation with a patient (assigned to me unless `assignedTo` says otherwise; null: the front desk); they are told by their channels — never the text',
  body: replyBody.extend({ subject: z.string(), assignedTo: id.nullable().optional() }),
  created: [z.object({ thread: threadJson, message: messageJson }), 'Started'],
});

/** `/api/v1/threads`: staff read, answer, assign, close and reopen patients' conversations. */
export function threadsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, list), async (c) => {
    const threads = await deps.messaging.list(actorOf(c), c.req.valid('query'));
    return c.json({ threads }, 200);
  });
  app.openapi(apiRoute(kit, unread), async (c) => c.json(await deps.messaging.unread(actorOf(c)), 200));
  app.openapi(apiRoute(kit, read), async (c) => {
    return c.json(await deps.messaging.read(actorOf(c), c.req.valid('param').id), 200);
  });
  app.openapi(apiRoute(kit, reply), async (c) => {
    const written = await deps.messaging.reply(actorOf(c), c.req.valid('param').id, await c.req.json());
    const { message } = await readBack(written, (id) => deps.messaging.read(actorOf(c), id));
    return c.json({ message }, 201);
  });
  app.openapi(apiRoute(kit, change), async (c) => {
    const row = await deps.messaging.change(actorOf(c), c.req.valid('param').id, await c.req.json());
    const { thread } = await deps.messaging.read(actorOf(c), row.id);
    return c.json({ thread }, 200);
  });
  app.openapi(apiRoute(kit, markRead), async (c) => {
    await deps.messaging.markRead(actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}

/** `/api/v1/patients/{id}/threads`: staff start a conversation from the chart. */
export function patientThreadsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, start), async (c) => {
    const written = await deps.messaging.start(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json(await readBack(written, (id) => deps.messaging.read(actorOf(c), id)), 201);
  });
  return app;
}
