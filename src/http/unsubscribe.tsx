import { type Context, Hono } from 'hono';
import { UnsubscribePage } from '../../views/pages/unsubscribe.tsx';
import { actorOf } from './middleware/staff-auth.ts';
import type { RouteKit } from './routes.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * `/unsubscribe`: the unsubscribe link of every non-essential email (also its List-Unsubscribe header). GET shows
 * a confirm page and changes nothing; POST (the button, or a mail client's RFC 8058 one-click
 * `List-Unsubscribe=One-Click`) turns the emails off at once. The signed token is the authority:
 * no session, and no CSRF token (a mail client posts from elsewhere by design).
 */
export function unsubscribeRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const tokenOf = (c: Context<AppEnv>) => (c.req.query('token') ?? '').slice(0, 300);
  const page = async (c: Context<AppEnv>, state: 'confirm' | 'done' | 'invalid') =>
    c.html(
      UnsubscribePage({ state, clinicName: (await deps.clinic.get()).name, token: tokenOf(c) }),
      state === 'invalid' ? 400 : 200,
    );

  app.get('/', authorize('public'), async (c) =>
    page(c, (await deps.notifications.unsubscribe.check(tokenOf(c))) ? 'confirm' : 'invalid'),
  );
  app.post('/', authorize('public'), async (c) => {
    const { id: _, type: __, ...from } = actorOf(c, null);
    const ok = await deps.notifications.unsubscribe.apply(tokenOf(c), from);
    return page(c, ok ? 'done' : 'invalid');
  });
  return app;
}
