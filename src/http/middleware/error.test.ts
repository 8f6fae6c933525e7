import { describe, expect, it } from 'vitest';
import { suiteApp } from '../../testing/lifecycle.ts';

describe('errors as responses', () => {
  const app = suiteApp();

  it('a page gets a whole HTML error page', async () => {
    const res = await app().http.request('/no-such-page');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain('Not found');
  });

  it('an htmx request gets a fragment to swap in, with the message and the reference', async () => {
    const res = await app().http.request('/no-such-page', { headers: { 'HX-Request': 'true' } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toMatch(/<html|<body|<head/i);
    expect(html).toMatch(/^<p class="error" role="alert">/);
    expect(html).toContain(res.headers.get('x-request-id')!);
  });

  it('the API gets JSON whatever it asks', async () => {
    const res = await app().http.request('/api/v1/no-such-thing', { headers: { 'HX-Request': 'true' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
