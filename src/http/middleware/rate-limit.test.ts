import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { createRateLimiter } from '../../lib/rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { onError } from './error.ts';
import { clientIp, rateLimit } from './rate-limit.ts';
import { requestContext } from './request-context.ts';

/** An app with 10 sign-in attempts per minute per IP, on a clock the test moves. */
function signInApp() {
  const clock = { t: 0 };
  const limiter = createRateLimiter({ name: 'sign-in-ip', max: 10, windowMs: 60_000, now: () => clock.t });
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.post('/api/v1/auth/sign-in', rateLimit(limiter, clientIp), (c) => c.json({ ok: true }));
  app.post('/sign-in', rateLimit(limiter, clientIp), (c) => c.text('welcome'));
  const signIn = (
    ip: string | undefined,
    path = '/api/v1/auth/sign-in',
    headers: Record<string, string> = {},
  ) => app.request(path, { method: 'POST', headers }, ip === undefined ? {} : { ip });
  return { app, clock, signIn };
}

describe('the rate-limit middleware', () => {
  it('answers the 11th sign-in attempt in a minute from one IP with 429, Retry-After and the API error', async () => {
    const { clock, signIn } = signInApp();
    for (let i = 0; i < 10; i++) {
      const res = await signIn('203.0.113.7');
      expect(res.status).toBe(200);
      expect(res.headers.get('retry-after')).toBeNull();
      clock.t += 1_000;
    }
    const res = await signIn('203.0.113.7');
    expect(res.status).toBe(429);
    // Window ends 50 s from now; then a tenth of the next window (6 s) until 9 of its 10 hits remain.
    expect(res.headers.get('retry-after')).toBe('56');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests. Please wait a moment and try again.' },
    });
    expect((await signIn('198.51.100.4')).status).toBe(200);
    expect((await signIn('2001:db8::1')).status).toBe(200);
  });

  it('lets the client in again after Retry-After, and never says less than 1 second', async () => {
    const { clock, signIn } = signInApp();
    for (let i = 0; i < 10; i++) await signIn('203.0.113.7');
    const retryMs = Number((await signIn('203.0.113.7')).headers.get('retry-after')) * 1000;
    clock.t += retryMs - 300;
    const almost = await signIn('203.0.113.7');
    expect([almost.status, almost.headers.get('retry-after')]).toEqual([429, '1']);
    clock.t += 300;
    expect((await signIn('203.0.113.7')).status).toBe(200);
  });

  it('gives pages the HTML error page with the same header', async () => {
    const { signIn } = signInApp();
    for (let i = 0; i < 10; i++) await signIn('203.0.113.7', '/sign-in');
    const res = await signIn('203.0.113.7', '/sign-in');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('66');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Too many requests.');
  });

  it('keeps Retry-After through the gateway middleware and a mounted sub-app', async () => {
    // c.header before throwing lands on the response onError builds even when earlier middleware has
    // already touched c.res (then Hono writes to that response's headers, which c.json copies).
    const limiter = createRateLimiter({ name: 'x', max: 1, windowMs: 60_000, now: () => 0 });
    const auth = new Hono<AppEnv>();
    auth.post('/sign-in', rateLimit(limiter, clientIp), (c) => c.json({ ok: true }));
    const app = new Hono<AppEnv>();
    app.use(requestContext(silentLogger));
    app.use(secureHeaders());
    app.use(async (c, next) => {
      c.res.headers.set('x-touched', '1');
      await next();
    });
    app.route('/api/v1/auth', auth);
    app.onError(onError);
    const send = () => app.request('/api/v1/auth/sign-in', { method: 'POST' }, { ip: '203.0.113.7' });
    expect((await send()).status).toBe(200);
    const res = await send();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.json()).error.code).toBe('rate_limited');
  });

  it('ignores X-Forwarded-For and keys requests without a peer address as unknown', async () => {
    const { signIn } = signInApp();
    for (let i = 0; i < 10; i++) {
      await signIn('203.0.113.7', undefined, { 'x-forwarded-for': `10.0.0.${i}` });
    }
    const spoofed = await signIn('203.0.113.7', undefined, { 'x-forwarded-for': '10.9.9.9' });
    expect(spoofed.status).toBe(429);

    for (let i = 0; i < 10; i++) await signIn(undefined, undefined, { 'x-forwarded-for': `10.1.0.${i}` });
    expect((await signIn(undefined)).status).toBe(429);
  });

  it('does not limit requests whose key is null', async () => {
    const limiter = createRateLimiter({ name: 'x', max: 1, windowMs: 60_000, now: () => 0 });
    const app = new Hono<AppEnv>();
    app.onError(onError);
    app.get(
      '/api/v1/ping',
      rateLimit(limiter, () => null),
      (c) => c.json({ ok: true }),
    );
    for (let i = 0; i < 3; i++) expect((await app.request('/api/v1/ping')).status).toBe(200);
    expect(limiter.size).toBe(0);
  });
});

describe('clientIp', () => {
  const ipOf = async (env: unknown) => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientIp(c)));
    return (await app.request('/', { headers: { 'x-forwarded-for': '10.0.0.1' } }, env)).text();
  };

  it('reads the peer address from c.env.ip, else says unknown', async () => {
    expect(await ipOf({ ip: '203.0.113.7' })).toBe('203.0.113.7');
    expect(await ipOf({ ip: '' })).toBe('unknown');
    expect(await ipOf({ ip: 42 })).toBe('unknown');
    expect(await ipOf({})).toBe('unknown');
    expect(await ipOf(undefined)).toBe('unknown');
  });
});
