import { Hono } from 'hono';
import { z } from 'zod';
import { MessagesPage } from '../../../../views/pages/staff/admin/messages.tsx';
import { channels, deliveryStates } from '../../../domain/notifications/index.ts';
import { actorOf } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { deliveryRowView } from '../delivery-row.ts';

const listQuery = z.object({
  status: z.enum(deliveryStates).optional().catch(undefined),
  channel: z.enum(channels).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/**
 * `/staff/admin/messages`: every email, SMS and push notification, filtered by status (or "not
 * sent": no provider of the channel configured) and channel.
 */
export function staffMessageLogRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get('/', kit.authorize('audit.read'), async (c) => {
    const q = listQuery.parse(c.req.query());
    const filter = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
    };
    const result = await deps.notifications.deliveries.list(actorOf(c), {
      ...filter,
      page: q.page,
      pageSize: 50,
    });
    const { timeZone } = await deps.clinic.get();
    return c.html(
      MessagesPage({
        nav: kit.nav(c),
        filter: { status: q.status ?? '', channel: q.channel ?? '' },
        statuses: deliveryStates,
        channels,
        rows: result.rows.map((d) => deliveryRowView(d, timeZone, true)),
        page: result.page,
        pages: Math.ceil(result.total / result.pageSize),
        total: result.total,
      }),
    );
  });
  return app;
}
