import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { testBrowser } from '../src/testing/browser.ts';
import {
  type OidcProviderPeer,
  type OidcUser,
  startOidcProvider,
} from '../src/testing/peers/oidc-provider.ts';
import { enrolTotp, totpCode } from '../src/testing/totp.ts';

/**
 * Staff single sign-on against a real OpenID Connect provider (the `oidc-provider` package)
 * started here: discovery, PKCE, state, nonce, signed ID tokens, userinfo.
 */
const users: Record<string, OidcUser> = {
  // Signed in at the provider with a password and a one-time code: its MFA counts.
  'u-ada': { email: 'Ada@Clinic.example', email_verified: true, name: 'Ada', amr: ['pwd', 'otp'] },
  'u-eve': { email: 'eve@elsewhere.example', email_verified: true, name: 'Eve' },
  'u-unverified': { email: 'bo@clinic.example', email_verified: false, name: 'Bo' },
  // A password only at the provider (or it does not say): Clinicbox asks for its own second factor.
  'u-cy': { email: 'cy@clinic.example', email_verified: true, name: 'Cy', amr: ['pwd'] },
  'u-di': { email: 'di@clinic.example', email_verified: true, name: 'Di' },
  'u-gone': { email: 'gone@clinic.example', email_verified: true, name: 'Gone', amr: ['pwd', 'mfa'] },
};

describe('staff single sign-on with OpenID Connect', () => {
  let provider: OidcProviderPeer;
  let issuer: string;
  let app: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider({
      users,
      redirectUris: ['http://localhost/staff/login/sso/callback'],
    });
    issuer = provider.issuer;
    app = await createTestApp({
      config: {
        oidcIssuer: issuer,
        oidcClientId: provider.clientId,
        oidcClientSecret: provider.clientSecret,
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
    for (const [email, name] of [
      ['cy@clinic.example', 'Cy'],
      ['di@clinic.example', 'Di'],
      ['gone@clinic.example', 'Gone'],
    ] as const) {
      await app.deps.staff.accounts.create(systemActor, { email, name, role: 'practitioner' });
    }
  });
  afterAll(async () => {
    await app.destroy();
    await provider.stop();
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

  /**
   * Where Clinicbox's answer to the callback goes on to: a page (200) that refreshes there, a step
   * from this site that carries the SameSite=Strict session cookie (continue-here.ts).
   */
  function continuesTo(res: Response): string | undefined {
    expect(res.status).toBe(200);
    return /^0; url=(.+)$/.exec(res.headers.get('refresh') ?? '')?.[1];
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
    expect(continuesTo(done)).toBe('/staff/account');
    expect(await browser.text(await browser.get('/staff/account'))).toContain('Where you are signed in');
    const [entry] = await app.deps.audit.list({ limit: 1 });
    expect(entry).toMatchObject({ action: 'staff.sign-in', details: { method: 'sso' } });
  });

  let nextIp = 1;
  /** A browser from its own address (the sign-in limit counts 10 a minute per address). */
  const newBrowser = () => testBrowser(app.http, { ip: `10.8.0.${nextIp++}` });
  /** Through the provider as `sub`; returns the browser and Clinicbox's answer to the callback. */
  async function ssoAs(sub: string, next = '') {
    const browser = newBrowser();
    const start = await browser.get(`/staff/login/sso${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    const back = await atProvider(start.headers.get('location')!, sub);
    return { browser, done: await browser.get(back.pathname + back.search) };
  }

  it('never creates an account: an unknown email is refused', async () => {
    const before = (await app.deps.staff.accounts.list()).length;
    const { browser, done: res } = await ssoAs('u-eve');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('No active staff account uses the email');
    expect((await app.deps.staff.accounts.list()).length).toBe(before);
    expect((await browser.get('/staff')).status).toBe(303);
  });

  it('refuses an unverified email, and a callback whose state does not match', async () => {
    const { done: res } = await ssoAs('u-unverified');
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

  it('with MFA required, asks for Clinicbox’s own second factor when the provider’s amr shows none', async () => {
    // No factor yet: set one up first (the provider said only "pwd").
    const cy = await ssoAs('u-cy', '/staff/account');
    expect(continuesTo(cy.done)).toBe('/staff/setup/totp?next=%2Fstaff%2Faccount');
    expect((await cy.browser.get('/staff/account')).status).toBe(303);
    const [entry] = await app.deps.audit.list({ limit: 1 });
    expect(entry).toMatchObject({ action: 'staff.sign-in-password', details: { method: 'sso' } });

    // An enrolled authenticator app: its code, then in.
    const di = (await app.deps.staff.accounts.findActiveByEmail('di@clinic.example'))!;
    const secret = await enrolTotp(app, di.id);
    app.clock.advance(60_000);
    const signedIn = await ssoAs('u-di'); // no amr at all
    expect(continuesTo(signedIn.done)).toBe('/staff/login/code?next=%2Fstaff');
    expect((await signedIn.browser.get('/staff')).headers.get('location')).toBe('/staff/login/code');
    await signedIn.browser.text(await signedIn.browser.get('/staff/login/code'));
    const code = await signedIn.browser.post('/staff/login/code?next=%2Fstaff', {
      code: totpCode(secret, app.clock.now()),
    });
    expect(code.headers.get('location')).toBe('/staff');
    expect((await signedIn.browser.get('/staff')).status).toBe(200);
  });

  it('signing in again to confirm it’s you makes the provider ask for its login anew, and then counts as the proof', async () => {
    // The provider's auth_time is on the real clock: the app's follows it here.
    app.clock.set(new Date());
    const ada = await ssoAs('u-ada', '/staff/account');
    expect(continuesTo(ada.done)).toBe('/staff/account');
    app.clock.advance(6 * 60_000); // whatever the provider said, that sign-in is no recent proof now
    await ada.browser.text(await ada.browser.get('/staff/account'));
    const asked = await ada.browser.post('/staff/account/passkeys/no-such/delete');
    expect(asked.headers.get('location')).toBe('/staff/account/confirm?next=%2Fstaff%2Faccount');
    const confirm = await ada.browser.text(await ada.browser.get(asked.headers.get('location')!));
    expect(confirm).not.toContain('name="password"'); // Ada has no password here
    const again = /href="(\/staff\/login\/sso\?[^"]*)"/.exec(confirm)![1]!.replaceAll('&amp;', '&');
    const authorize = new URL((await ada.browser.get(again)).headers.get('location')!);
    expect(authorize.searchParams.get('prompt')).toBe('login');
    expect(authorize.searchParams.get('max_age')).toBe('300');

    const back = await atProvider(authorize.href, 'u-ada');
    app.clock.set(new Date()); // the provider checked Ada just now
    expect(continuesTo(await ada.browser.get(back.pathname + back.search))).toBe('/staff/account');
    await ada.browser.text(await ada.browser.get('/staff/account'));
    const removed = await ada.browser.post('/staff/account/passkeys/no-such/delete');
    expect(removed.status).toBe(404); // past the confirmation: only the passkey is unknown
  });

  it('refuses a deactivated staff member', async () => {
    const gone = (await app.deps.staff.accounts.findActiveByEmail('gone@clinic.example'))!;
    await app.deps.staff.accounts.deactivate(systemActor, gone.id);
    const { browser, done } = await ssoAs('u-gone');
    expect(done.status).toBe(403);
    expect(await done.text()).toContain('No active staff account uses the email');
    expect((await browser.get('/staff')).status).toBe(303);
  });

  it('refuses an ID token whose nonce is not the one this browser sent', async () => {
    const browser = newBrowser();
    const start = await browser.get('/staff/login/sso');
    const back = await atProvider(start.headers.get('location')!, 'u-ada');
    // The flow cookie (HttpOnly, so only a tampered browser could) names another nonce.
    const flow = JSON.parse(Buffer.from(browser.cookies.get('cb_sso')!, 'base64url').toString('utf8'));
    browser.cookies.set(
      'cb_sso',
      Buffer.from(JSON.stringify({ ...flow, nonce: 'another-nonce-0123456789' })).toString('base64url'),
    );
    const res = await browser.get(back.pathname + back.search);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Single sign-on did not complete (unexpected JWT claim value');
    expect((await browser.get('/staff')).status).toBe(303);
  });
});
