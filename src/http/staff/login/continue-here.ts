import type { Context } from 'hono';
import { ContinuePage } from '../../../../views/pages/staff/continue.tsx';
import { safeNext } from '../../middleware/staff-auth.ts';
import type { AppEnv } from '../../types.ts';

/**
 * Goes on to `path` (on /staff) by a step this site takes: a page that refreshes to it at once.
 * The staff session cookie is SameSite=Strict, and a navigation that began on another site (the
 * sign-in provider sending the member back) carries no Strict cookie through its redirects, so a
 * redirect from the callback would arrive without the session it just started. A refresh is a new
 * navigation started by this site's page: the cookie goes with it.
 */
export function continueHere(c: Context<AppEnv>, path: string) {
  // Through the URL parser: no control character reaches the header, and still only /staff.
  const url = new URL(path, 'http://localhost');
  const href = safeNext(url.pathname + url.search);
  c.header('Refresh', `0; url=${href}`);
  return c.html(ContinuePage({ href }));
}
