import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress, trustProxies } from '../../lib/client-address.ts';
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
 * The client's address: what `clientAddress` found for this request, else the connection's
 * (`c.env.ip`, from listen.ts), else `'unknown'` (then every such client shares one key). Every
 * limit, session and audit row takes the address from here.
 */
export function clientIp(c: Context): string {
  const resolved: unknown = c.get('clientIp');
  return typeof resolved === 'string' ? resolved : (peerAddress(c) ?? 'unknown');
}

const peerAddress = (c: Context): string | undefined => {
  const ip: unknown = (c.env as { ip?: unknown } | undefined)?.ip;
  return typeof ip === 'string' && ip !== '' ? ip : undefined;
};

/**
 * Finds each request's client address once, for `clientIp`: the connection's, or — when it comes
 * from a proxy in `trustProxy` (--trust-proxy) — the client its X-Forwarded-For or Forwarded
 * header names (lib/client-address.ts). Without trusted proxies the headers are never read, and
 * the first request that carries them is logged once as a hint to set --trust-proxy.
 */
export function resolveClientIp(trustProxy: readonly string[]): MiddlewareHandler<AppEnv> {
  const trust = trustProxies(trustProxy);
  let hinted = trustProxy.length > 0;
  return async (c, next) => {
    const headers = { xForwardedFor: c.req.header('x-forwarded-for'), forwarded: c.req.header('forwarded') };
    const address = clientAddress(peerAddress(c), headers, trust);
    if (address) c.set('clientIp', address);
    if (!hinted && (headers.xForwardedFor || headers.forwarded)) {
      hinted = true;
      c.get('log')?.warn(
        'a request came with X-Forwarded-For or Forwarded, ignored without --trust-proxy; if Clinicbox runs behind a reverse proxy, every client now shares its address and rate limits: give the proxy’s address with --trust-proxy',
        { peer: address ?? 'unknown' },
      );
    }
    await next();
  };
}
