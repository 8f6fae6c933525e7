import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../lib/errors.ts';
import type { RateLimiter } from '../../lib/rate-limit.ts';
import type { AppEnv } from '../types.ts';

/**
 * Counts each request against `limiter` under the key `keyOf` returns (null: not limited) and, once
 * over the limit, answers 429 `rate_limited` with `Retry-After` in whole seconds (at least 1).
 *
 * The response is built by the app's one error handler (`onError`), so it has the usual JSON or HTML
 * shape; the header is set on the context before throwing, and Hono carries headers set with
 * `c.header` onto the response `onError` builds (proved in rate-limit.test.ts). Limits are per
 * instance: see lib/rate-limit.ts.
 */
export function rateLimit(
  limiter: RateLimiter,
  keyOf: (c: Context<AppEnv>) => string | null,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = keyOf(c);
    if (key !== null) {
      const { allowed, retryAfterMs } = limiter.hit(key);
      if (!allowed) {
        setRetryAfter(c, retryAfterMs);
        throw new AppError('rate_limited', 'too_many_requests', { status: 429 });
      }
    }
    await next();
  };
}

/** Sets `Retry-After` in whole seconds, at least 1, on any 429 (limiter or failure tracker). */
export function setRetryAfter(c: Context, retryAfterMs: number): void {
  c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
}

/**
 * The peer address the server put in `c.env.ip`, or `'unknown'` (then every such client shares one
 * key). X-Forwarded-For is deliberately ignored: any client can send it, so trusting it would let each
 * request pick a fresh key; only a proxy the operator vouches for (a later `--trust-proxy`) may set it.
 */
export function clientIp(c: Context): string {
  const ip: unknown = (c.env as { ip?: unknown } | undefined)?.ip;
  return typeof ip === 'string' && ip !== '' ? ip : 'unknown';
}
