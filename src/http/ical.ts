import { Hono } from 'hono';
import { notFound } from '../lib/errors.ts';
import { actorOf } from './middleware/staff-auth.ts';
import type { RouteKit } from './routes.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * `/ical`: a practitioner's calendar feed. The secret token in the URL is the credential
 * (calendar apps send no cookies); the request log never writes it out.
 */
export function icalRoutes(deps: HttpDeps, { authorize }: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get('/:file', authorize('public'), async (c) => {
    const file = c.req.param('file');
    const body = file.endsWith('.ics')
      ? await deps.calendarFeeds.render(file.slice(0, -4), actorOf(c, null))
      : null;
    if (body === null) throw notFound('That calendar');
    return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'no-store' });
  });
  return app;
}
