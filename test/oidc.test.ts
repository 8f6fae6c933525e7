import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { testBrowser } from '../src/testing/browser.ts';

/**
 * Staff single sign-on against a real OpenID Connect provider (the `oidc-provider` package)
 * started here: discovery, PKCE, state, nonce, signed ID tokens, userinfo.
 */
const users: Record<string, { email: string; email_verified: boolean; name: string }> = {
  'u-ada': { email: 'Ada@Clinic.example', email_verified: true, name: 'Ada' },
  'u-eve': { email: 'eve@elsewhere.example', email_verified: true, name: 'Eve' },
  'u-unverified': { email: 'bo@clinic.example', email_verified: false, name: 'Bo' },
};

describe('staff single sign-on with OpenID Connect', () => {
  let server: Server;
  let issuer: string;
  let app: TestApp;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'clinicbox',
          client_secret: 'a-long-test-client-secret-0123456789',
          redirect_uris: ['http://localhost/staff/login/sso/callback'],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: async (_ctx: unknown, sub: string) =>
        users[sub] ? { accountId: sub, claims: async () => ({ sub, ...users[sub]! }) } : undefined,
      cookies: { keys: ['test-cookie-key-0123456789'] },
    });
    server.on('request', provider.callback());
    app = await createTestApp({
      config: {
        oidcIssuer: issuer,
        oidcClientId: 'clinicbox',
        oidcClientSecret: 'a-long-test-client-secret-0123456789',
      },
    });
    await app.deps.staff.accounts.create(systemActor, {
      email: 'ada@clinic.example',
      name: 'Ada',
      role: 'practitioner',
    });
    await app.deps.staff.accounts.create(systemActor, {
      email: 'bo@clinic.example',
      name: 'Bo',
      role: 'reception',
    });
  });
  afterAll(async () => {
    await app.destroy();
    await new Promise((r) => server.close(r));
  });

  /** Plays the user at the provider (its development login and consent forms) until it sends them back. */
  async function atProvider(authorizeUrl: string, sub: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = authorizeUrl;
    for (let i = 0; i < 12; i++) {
      const isForm = /\/interaction\/[^/]+$/.test(new URL(url).pathname);
      let res: Response;
      if (isForm) {
        const page = await (await request(url, 'GET')).text();
        const body: Record<string, string> = page.includes('name="login"')
          ? { prompt: 'login', login: sub, password: 'x' }
          : { prompt: 'consent' };
        res = await request(url, 'POST', new URLSearchParams(body));
      } else {
        res = await request(url, 'GET');
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`provider stopped at ${url} with ${res.status}`);
      url = new URL(location, url).href;
      if (url.startsWith('http://localhost/')) return new URL(url);
    }
    throw new Error('too many redirects at the provider');

    async function request(target: string, method: string, body?: URLSearchParams) {
      const res = await fetch(target, {
        method,
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [k, ...v] = pair!.split('=');
        jar.set(k!.trim(), v.join('='));
      }
      return res;
    }
  }

  it('signs in an existing staff member by verified email, and back to where they were going', async () => {
    const browser = testBrowser(app.http);
    expect(await browser.text(await browser.get('/staff/login'))).toContain(
      'Sign in with your organisation account',
    );
    const start = await browser.get('/staff/login/sso?next=%2Fstaff%2Faccount');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();

    const back = await atProvider(authorize.href, 'u-ada');
    const done = await browser.get(back.pathname + back.search);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff/account');
    expect(await browser.text(await browser.get('/staff/account'))).toContain('Where you are signed in');
    const [entry] = await app.deps.audit.list({ limit: 1 });
    expect(entry).toMatchObject({ action: 'staff.sign-in', details: { method: 'sso' } });
  });

  it('never creates an account: an unknown email is refused', async () => {
    const before = (await app.deps.staff.accounts.list()).length;
    const browser = testBrowser(app.http);
    const start = await browser.get('/staff/login/sso');
    const back = await atProvider(start.headers.get('location')!, 'u-eve');
    const res = await browser.get(back.pathname + back.search);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('No active staff account uses the email');
    expect((await app.deps.staff.accounts.list()).length).toBe(before);
    expect((await browser.get('/staff')).status).toBe(303);
  });

  it('refuses an unverified email, and a callback whose state does not match', async () => {
    const browser = testBrowser(app.http);
    const start = await browser.get('/staff/login/sso');
    const back = await atProvider(start.headers.get('location')!, 'u-unverified');
    const res = await browser.get(back.pathname + back.search);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('did not confirm a verified email');

    const other = testBrowser(app.http);
    const start2 = await other.get('/staff/login/sso');
    const back2 = await atProvider(start2.headers.get('location')!, 'u-ada');
    back2.searchParams.set('state', 'forged-state');
    const forged = await other.get(back2.pathname + back2.search);
    expect(forged.status).toBe(401);
    expect((await other.get('/staff')).status).toBe(303);
  });
});
