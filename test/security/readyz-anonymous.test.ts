import { describe, expect, it } from 'vitest';
import { suiteApp } from '../../src/testing/lifecycle.ts';

/*
 * Issue 14 ("Also"): /readyz told anyone which database the clinic runs on. A load balancer needs
 * only "ready" (200) or not (503): the answer names no database, dialect, path or URL.
 */
describe('/readyz to an anonymous caller (issue 14)', () => {
  const app = suiteApp();

  it('says ready and nothing about the database', async () => {
    const res = await app().http.request('/readyz');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'ready' });
    expect(text).not.toMatch(/sqlite|postgres|\.db\b|database/i);
  });
});
