import type { Context, MiddlewareHandler } from 'hono';
import { hasRecentProof, reauthenticationRequired } from '../../domain/accounts/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AppEnv } from '../types.ts';
import { pageOf, redirect } from './staff-auth.ts';

/**
 * For routes that change how a member signs in, after `authorize`: without a proof of who they
 * are within the last 5 minutes (the accounts area's rule), a page goes to "Confirm it's you",
 * which returns to the page the member was on; a script gets 403 `reauthentication_required`.
 */
export function recentProof(clock: Clock, baseUrl: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (hasRecentProof(c.get('staff')!.session, clock.now())) return next();
    if ((c.req.header('accept') ?? '').startsWith('application/json')) throw reauthenticationRequired();
    return redirect(c, confirmPage(pageBefore(c, baseUrl)));
  };
}

/** The "Confirm it's you" page, going back to `next` once confirmed. */
export const confirmPage = (next: string) => `/staff/account/confirm?next=${encodeURIComponent(next)}`;

/** The page the member was on: this one for a GET, else the one the form or htmx request came from (this site's only). */
function pageBefore(c: Context<AppEnv>, baseUrl: string): string {
  const url = new URL(c.req.url);
  if (c.req.method === 'GET') return url.pathname + url.search;
  const origins = [url.origin, ...(baseUrl ? [new URL(baseUrl).origin] : [])];
  return pageOf(c.req.header('hx-current-url') ?? c.req.header('referer'), origins) ?? '/staff/account';
}
