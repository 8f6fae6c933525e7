import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.ts';

describe('the HTTP gateway', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    // A route that fails like a bug would, to see what a user gets.
    app.http.get('/api/v1/test-boom', () => {
      throw new Error('secret internals at /home/clinic/db.ts:42');
    });
    app.http.get('/test-boom', () => {
      throw new Error('secret internals');
    });
  });
  afterAll(() => app.destroy());

  it('GET /healthz answers ok with the version and a request id', async () => {
    const res = await app.http.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: app.deps.version });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /readyz is 200 when the database answers and is migrated', async () => {
    const res = await app.http.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    const kept = await app.http.request('/healthz', { headers: { 'X-Request-Id': 'proxy-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-abc.123');
    const replaced = await app.http.request('/healthz', { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one log line per request without query strings, cookies or bodies', async () => {
    app.logs.length = 0;
    const res = await app.http.request('/healthz?token=s3cret', { headers: { cookie: 'sid=abc' } });
    const lines = app.logs.filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      path: '/healthz',
      status: 200,
      requestId: res.headers.get('x-request-id'),
    });
    expect(typeof lines[0]!.ms).toBe('number');
    expect(JSON.stringify(app.logs)).not.toMatch(/s3cret|sid=abc/);
  });

  it('maps an unknown API route to a JSON 404 and a page route to an HTML page', async () => {
    const api = await app.http.request('/api/v1/nothing-here');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'This page was not found.' } });
    const page = await app.http.request('/nothing-here');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<h1>Not found</h1>');
  });

  it('never shows a stack trace: a crash is a generic 500 with a stable code', async () => {
    const api = await app.http.request('/api/v1/test-boom');
    expect(api.status).toBe(500);
    const body = await api.json();
    expect(body).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' },
    });
    const page = await app.http.request('/test-boom');
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).not.toContain('secret internals');
    expect(html).toContain(page.headers.get('x-request-id'));
    // The server log keeps the details for the admin.
    expect(JSON.stringify(app.logs)).toContain('secret internals');
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await app.http.request('/api/v1/anything', {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('sends security headers on every response', async () => {
    const res = await app.http.request('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull(); // plain HTTP: no HSTS
    const secure = await app.http.request('https://clinic.example/static/app.css');
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('serves the staff stylesheet', async () => {
    const res = await app.http.request('/static/app.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
    expect(await res.text()).toContain(':focus-visible');
    expect((await app.http.request('/static/../package.json')).status).toBe(404);
  });

  it('runs the staff middleware once on /staff itself as on the pages under it', async () => {
    // Two runs would each mint a CSRF cookie for a browser that has none.
    for (const path of ['/staff', '/staff/login']) {
      const res = await app.http.request(`http://localhost${path}`);
      const csrf = res.headers.getSetCookie().filter((c) => c.startsWith('cb_csrf='));
      expect({ path, csrf: csrf.length }).toEqual({ path, csrf: 1 });
    }
  });
});
