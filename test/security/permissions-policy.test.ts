import { describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.ts';
import { createTestApp } from '../../src/testing/app.ts';
import { testBrowser } from '../../src/testing/browser.ts';
import { cleanupsAfterAll, suiteApp } from '../../src/testing/lifecycle.ts';
import { launchChromium, skipBrowserTests } from '../browser/chromium.ts';

/*
 * Issue 14 ("Also"): no Permissions-Policy header, so an injected or framed script could ask for
 * the camera, microphone, location or payment. Every response now turns those off, and keeps
 * what the app uses: passkeys (WebAuthn get and create) for this site only.
 */
describe('the Permissions-Policy header (issue 14)', () => {
  const app = suiteApp();

  /** The header's directives as feature → allowlist. */
  const policyOf = (res: Response) =>
    Object.fromEntries(
      (res.headers.get('permissions-policy') ?? '')
        .split(',')
        .filter(Boolean)
        .map((d) => d.trim().split('=') as [string, string]),
    );

  it('is on every kind of response: pages, the API, errors, static files, probes, the PWA', async () => {
    const browser = testBrowser(app().http);
    const answers = [
      await browser.get('/staff/login'),
      await browser.get('/staff'), // a redirect to sign in
      await app().http.request('/api/v1/me'), // 401 JSON
      await app().http.request('/no-such-page'), // 404
      await app().http.request('/static/app().css'),
      await app().http.request('/healthz'),
      await app().http.request('/app()/'),
      await app().http.request('/ical/not-a-token.ics'),
    ];
    for (const res of answers) {
      const policy = policyOf(res);
      expect({ url: res.url, camera: policy.camera }).toMatchObject({ camera: '()' });
      expect(policy).toMatchObject({ microphone: '()', geolocation: '()', payment: '()' });
    }
  });

  it('keeps passkeys for this site, and nothing else it does not use', async () => {
    const policy = policyOf(await app().http.request('/staff/login'));
    expect(policy['publickey-credentials-get']).toBe('(self)');
    expect(policy['publickey-credentials-create']).toBe('(self)');
    for (const [feature, allow] of Object.entries(policy)) {
      if (!feature.startsWith('publickey-credentials-'))
        expect({ feature, allow }).toEqual({ feature, allow: '()' });
    }
  });
});

describe.skipIf(skipBrowserTests)('the Permissions-Policy header in Chromium (issue 14)', () => {
  const cleanups = cleanupsAfterAll();

  it('parses without a warning; passkeys are allowed, the camera and location are not', async () => {
    const app = await createTestApp();
    cleanups.push(() => app.destroy());
    const server = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close(1000));
    const chromium = await launchChromium(cleanups);
    const page = await chromium.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    await page.goto(`http://localhost:${server.port}/staff/login`);
    const allowed = await page.evaluate(() => {
      const policy = (document as unknown as { featurePolicy: { allowsFeature(f: string): boolean } })
        .featurePolicy;
      return Object.fromEntries(
        ['publickey-credentials-get', 'publickey-credentials-create', 'camera', 'geolocation', 'payment'].map(
          (f) => [f, policy.allowsFeature(f)],
        ),
      );
    });
    expect(allowed).toEqual({
      'publickey-credentials-get': true,
      'publickey-credentials-create': true,
      camera: false,
      geolocation: false,
      payment: false,
    });
    expect(console.filter((m) => /permissions.policy|feature/i.test(m))).toEqual([]);
  });
});
