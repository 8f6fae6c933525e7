import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { testBrowser } from '../../src/testing/browser.ts';
import { STAFF_PASSWORD, staffMember } from '../../src/testing/signed-in.ts';

/*
 * Issue 14, item 11: a POST to a staff page without an Origin header and with a Referer that is
 * not a URL answered 500 and wrote a stack trace to the log. It is refused (403) like any
 * request from another site, nothing changes and nothing is logged as an error.
 */
describe('a malformed Referer on a staff form (issue 14, item 11)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await staffMember(app, 'admin', { email: 'ada@clinic.example' });
  });
  afterAll(() => app.destroy());

  /** POST /staff/login as a script would send it: the right CSRF cookie and token, no Origin, this Referer. */
  async function signInWithReferer(referer: string): Promise<Response> {
    const browser = testBrowser(app.http);
    await browser.text(await browser.get('/staff/login'));
    const csrf = /name="_csrf" value="([^"]*)"/.exec(browser.page())![1]!;
    return app.http.request('http://localhost/staff/login', {
      method: 'POST',
      headers: {
        cookie: `cb_csrf=${browser.cookies.get('cb_csrf')}`,
        referer,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf, email: 'ada@clinic.example', password: STAFF_PASSWORD }),
    });
  }

  it('answers 403, signs nobody in and logs no error', async () => {
    app.logs.length = 0;
    for (const referer of ['not a url', 'http://[::1', 'https://', '//localhost/staff/login', ':']) {
      const res = await signInWithReferer(referer);
      expect({ referer, status: res.status }).toEqual({ referer, status: 403 });
      expect(res.headers.getSetCookie().some((c) => c.startsWith('cb_staff='))).toBe(false);
      expect(await res.text()).not.toMatch(/TypeError|Invalid URL|at .*\.ts:\d+/);
    }
    expect(app.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect((await app.deps.audit.list({ limit: 5 })).map((r) => r.action)).not.toContain('staff.sign-in');
  });

  it('still signs in with this site’s own Referer', async () => {
    const res = await signInWithReferer('http://localhost/staff/login');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff');
  });
});
