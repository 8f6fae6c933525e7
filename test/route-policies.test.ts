import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Permission, staffRoles } from '../src/domain/accounts/index.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { testBrowser } from '../src/testing/browser.ts';

/**
 * Every route declares who may call it (DESIGN: authorization at the gateway). This walks the one
 * route table and fails on any route without a policy, then checks every role against every
 * staff page that needs a permission.
 */
const PASSWORD = 'a long enough passphrase';

describe('the route table', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
  });
  afterAll(() => app.destroy());

  const routes = () => {
    const byRoute = new Map<string, string[]>();
    for (const r of app.http.routes) {
      if (r.method === 'ALL') continue; // middleware registered with use()
      const key = `${r.method} ${r.path}`;
      const policy = (r.handler as { policy?: string }).policy;
      byRoute.set(key, [...(byRoute.get(key) ?? []), ...(policy ? [policy] : [])]);
    }
    return byRoute;
  };

  it('has a policy on every route', () => {
    const all = routes();
    expect(all.size).toBeGreaterThan(15);
    const missing = [...all].filter(([, policies]) => policies.length === 0).map(([key]) => key);
    expect(missing).toEqual([]);
  });

  it('answers each role as the permission table says, on every staff page that needs a permission', async () => {
    const pages = [...routes()]
      .filter(
        ([key, [policy]]) =>
          key.startsWith('GET /staff/') &&
          !key.includes(':') &&
          policy &&
          !['public', 'password', 'staff'].includes(policy),
      )
      .map(([key, [policy]]) => [key.slice(4), policy as Permission] as const);
    expect(pages.length).toBeGreaterThan(2);
    for (const role of staffRoles) {
      const email = `${role}@clinic.example`;
      await app.deps.staff.accounts.create(systemActor, {
        email,
        name: role,
        role,
        password: 'a long enough passphrase',
      });
      const browser = testBrowser(app.http);
      await browser.text(await browser.get('/staff/login'));
      expect(
        (await browser.post('/staff/login', { email, password: 'a long enough passphrase' })).status,
      ).toBe(303);
      for (const [path, permission] of pages) {
        const status = (await browser.get(path)).status;
        expect({ role, path, status }).toEqual({ role, path, status: can(role, permission) ? 200 : 403 });
      }
    }
  });

  it('shows each role only the sections it may open, and every one of them works', async () => {
    for (const role of staffRoles) {
      const email = `nav-${role}@clinic.example`;
      await app.deps.staff.accounts.create(systemActor, { email, name: role, role, password: PASSWORD });
      const browser = testBrowser(app.http);
      expect((await browser.signIn(email, PASSWORD)).status).toBe(303);
      const today = await browser.text(await browser.get('/staff'));
      const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(today)![1]!;
      const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(2);
      for (const href of links) {
        const res = await browser.get(href);
        const page = await res.text();
        expect({ role, href, status: res.status }).toEqual({ role, href, status: 200 });
        expect(page, `${role} ${href}`).not.toContain('not available yet');
      }
      expect(links.includes('/staff/settings')).toBe(can(role, 'settings.manage'));
    }
  });
});
