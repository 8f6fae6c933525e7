import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';
import {
  STAFF_PASSWORD as PASSWORD,
  signedInAs,
  signedInStaff,
  staffMember,
} from '../../testing/signed-in.ts';
import { totpCode } from '../../testing/totp.ts';

describe('staff sign-in over HTTP', () => {
  let app: TestApp;
  afterEach(() => app.destroy());

  /** First run through the setup link to a fully signed-in admin; returns the TOTP secret. */
  async function setupAdmin(browser: TestBrowser): Promise<string> {
    return (await setupAdminWithCodes(browser)).secret;
  }
  /** The same, with the recovery codes shown at the end. */
  async function setupAdminWithCodes(browser: TestBrowser): Promise<{ secret: string; codes: string[] }> {
    const token = await app.deps.staff.accounts.issueSetupLink();
    await browser.text(await browser.get(`/staff/setup?token=${token}`));
    expect(browser.page()).toContain('Create the first administrator');
    const created = await browser.post(`/staff/setup?token=${token}`, {
      name: 'Ada Admin',
      email: 'ada@clinic.example',
      password: PASSWORD,
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/staff/setup/totp');
    const setupPage = await browser.text(await browser.get('/staff/setup/totp'));
    expect(setupPage).toContain('<svg');
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(setupPage)![1]!.replaceAll(' ', '');
    const wrong = await browser.post('/staff/setup/totp', { code: '000000' });
    expect(wrong.status).toBe(422);
    await browser.text(wrong);
    const confirmed = await browser.text(
      await browser.post('/staff/setup/totp', { code: totpCode(secret, app.clock.now()) }),
    );
    expect(confirmed).toContain('Save your recovery codes');
    const codes = [...confirmed.matchAll(/<li><code>([a-z0-9-]{14})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    return { secret, codes };
  }

  it('first run: setup link → admin → TOTP → Today; sign out; sign in with password and code', async () => {
    app = await createTestApp();
    const browser = testBrowser(app.http);
    const toLogin = await browser.get('/staff');
    expect(toLogin.status).toBe(303);
    expect(toLogin.headers.get('location')).toBe('/staff/login?next=%2Fstaff');

    const secret = await setupAdmin(browser);
    const today = await browser.text(await browser.get('/staff'));
    expect(today).toContain('<h1>Today</h1>');
    expect(today).toContain('Ada Admin');
    expect(today).toContain('href="/staff/admin"');

    await browser.text(await browser.get('/staff/account'));
    const out = await browser.post('/staff/logout');
    expect(out.headers.get('location')).toBe('/staff/login?signed-out=1');
    expect(await browser.text(await browser.get(out.headers.get('location')!))).toContain(
      '<p class="notice" role="status">You are signed out.</p>',
    );
    // Signed out, not ended: no cookie of a session is left to say otherwise.
    expect((await browser.get('/staff')).headers.get('location')).toBe('/staff/login?next=%2Fstaff');

    const bad = await browser.signIn('ada@clinic.example', 'not the password!!');
    expect(bad.status).toBe(401);
    expect(await browser.text(bad)).toContain('That email and password do not match an active account.');
    const unknown = await browser.post('/staff/login', {
      email: 'nobody@clinic.example',
      password: PASSWORD,
    });
    expect(unknown.status).toBe(401);
    expect(await browser.text(unknown)).toContain('That email and password do not match an active account.');

    const step1 = await browser.post('/staff/login?next=%2Fstaff%2Faccount', {
      email: 'ADA@clinic.example',
      password: PASSWORD,
    });
    expect(step1.status).toBe(303);
    expect(step1.headers.get('location')).toBe('/staff/login/code?next=%2Fstaff%2Faccount');
    expect((await browser.get('/staff')).headers.get('location')).toBe('/staff/login/code'); // not in yet
    const codePage = await browser.text(await browser.get('/staff/login/code'));
    // One field takes both a 6-digit code and a recovery code (letters): no numeric keypad.
    const codeField = /<input[^>]*name="code"[^>]*>/.exec(codePage)![0];
    expect(codeField).toContain('autocomplete="one-time-code"');
    expect(codeField).not.toContain('inputmode="numeric"');
    app.clock.advance(60_000);
    const step2 = await browser.post('/staff/login/code?next=%2Fstaff%2Faccount', {
      code: totpCode(secret, app.clock.now()),
    });
    expect(step2.headers.get('location')).toBe('/staff/account');
    expect(await browser.text(await browser.get('/staff/account'))).toContain('Where you are signed in');

    const actions = (await app.deps.audit.list({ limit: 50 })).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'staff.setup-admin',
        'staff.mfa-enroll',
        'staff.sign-in',
        'staff.sign-out',
        'staff.sign-in-failed',
      ]),
    );
    expect((await app.deps.audit.verify()).ok).toBe(true);
  });

  it('allows setup again when every admin is deactivated, and not while one is active', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account: old } = await staffMember(app, 'admin', {
      email: 'old@clinic.example',
      name: 'Old Admin',
    });
    const refused = await app.deps.staff.accounts.issueSetupLink();
    expect((await testBrowser(app.http).get(`/staff/setup?token=${refused}`)).status).toBe(410);

    await app.deps.staff.accounts.deactivate(systemActor, old.id);
    expect(await app.deps.staff.accounts.hasAdmin()).toBe(false);
    const browser = testBrowser(app.http);
    const token = await app.deps.staff.accounts.issueSetupLink();
    expect(await browser.text(await browser.get(`/staff/setup?token=${token}`))).toContain(
      'Create the first administrator',
    );
    const sameEmail = await browser.post(`/staff/setup?token=${token}`, {
      name: 'Old Admin',
      email: 'old@clinic.example',
      password: PASSWORD,
    });
    expect(sameEmail.status).toBe(422);
    expect(await browser.text(sameEmail)).toContain('already uses this email');
    const created = await browser.post(`/staff/setup?token=${token}`, {
      name: 'New Admin',
      email: 'new@clinic.example',
      password: PASSWORD,
    });
    expect(created.status).toBe(303);
    expect(await app.deps.staff.accounts.hasAdmin()).toBe(true);

    // With an active admin again, a further setup link is refused on GET and on POST alike.
    const again = await app.deps.staff.accounts.issueSetupLink();
    const other = testBrowser(app.http);
    await other.text(await other.get('/staff/login'));
    expect((await other.get(`/staff/setup?token=${again}`)).status).toBe(410);
    const post = await other.post(`/staff/setup?token=${again}`, {
      name: 'Mallory',
      email: 'mallory@clinic.example',
      password: PASSWORD,
    });
    expect(post.status).toBe(410);
  });

  it('sets HttpOnly cookies (the session SameSite=Strict); __Host- and Secure over HTTPS; refuses plain HTTP on a LAN address', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await staffMember(app, 'reception', { email: 'bo@clinic.example' });
    const local = testBrowser(app.http);
    const res = await local.signIn('bo@clinic.example', PASSWORD);
    expect(res.headers.get('location')).toBe('/staff');
    const session = res.headers.getSetCookie().find((c) => c.startsWith('cb_staff='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/);

    const secure = testBrowser(app.http, { origin: 'https://clinic.example' });
    const res2 = await secure.signIn('bo@clinic.example', PASSWORD);
    expect(res2.headers.getSetCookie().find((c) => c.startsWith('__Host-cb_staff='))).toMatch(/Secure/);

    const lan = testBrowser(app.http, { origin: 'http://192.168.1.20:8080' });
    expect(await lan.text(await lan.get('/staff/login'))).toContain('--tls-cert');
    const refused = await lan.post('/staff/login', { email: 'bo@clinic.example', password: PASSWORD });
    expect(refused.status).toBe(403);
  });

  it('refuses a form without the CSRF token or from another origin, changing nothing', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await staffMember(app, 'reception', { email: 'bo@clinic.example' });
    const browser = testBrowser(app.http);
    await browser.text(await browser.get('/staff/login'));
    const noToken = await browser.post('/staff/login', {
      _csrf: '',
      email: 'bo@clinic.example',
      password: PASSWORD,
    });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Your form expired');
    const foreign = await browser.post(
      '/staff/login',
      { email: 'bo@clinic.example', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect([...browser.cookies.keys()]).not.toContain('cb_staff');
  });

  it('enforces roles, redirects htmx requests with HX-Redirect, and ends idle sessions', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { browser } = await signedInStaff(app, 'reception');
    expect((await browser.get('/staff/patients')).status).toBe(200);
    const settings = await browser.get('/staff/settings');
    expect(settings.status).toBe(403);
    expect(await settings.text()).toContain('Your role does not allow this');
    expect(await browser.text(await browser.get('/staff'))).not.toContain('href="/staff/admin"');

    app.clock.advance(31 * 60_000);
    // After sign-in, back to the page the fragment was asked from, never to the fragment itself.
    const htmx = await browser.get('/staff/patients/search?q=pa', {
      'hx-request': 'true',
      'hx-current-url': 'http://localhost/staff/calendar?view=week&date=2026-03-02',
    });
    // The session's cookie is still sent, so the sign-in page says the session ended.
    expect(htmx.headers.get('hx-redirect')).toBe(
      `/staff/login?next=${encodeURIComponent('/staff/calendar?view=week&date=2026-03-02')}&ended=1`,
    );
    const ended = await browser.text(await browser.get(htmx.headers.get('hx-redirect')!));
    expect(ended).toContain('Your session ended');
    expect(ended).not.toContain('You are signed out.');
    for (const current of [undefined, 'https://evil.example/staff/admin', 'http://localhost/app/']) {
      const res = await browser.get('/staff/patients/search?q=pa', {
        'hx-request': 'true',
        ...(current ? { 'hx-current-url': current } : {}),
      });
      expect(res.headers.get('hx-redirect')).toBe('/staff/login?next=%2Fstaff');
    }
    const page = await browser.get('/staff/patients?q=pa');
    expect(page.headers.get('location')).toBe(
      `/staff/login?next=${encodeURIComponent('/staff/patients?q=pa')}`,
    );
  });

  it('lists own sessions and revokes another browser’s; deactivation ends all', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account: bo, browser: desk } = await signedInStaff(app, 'reception', {
      browser: { userAgent: 'Desk PC' },
    });
    const tablet = await signedInAs(app, bo.email, { browser: { userAgent: 'Tablet', ip: '10.0.0.7' } });
    const page = await desk.text(await desk.get('/staff/account'));
    expect(page).toContain('Desk PC (this browser)');
    expect(page).toContain('Tablet');
    const tabletSession = (await app.deps.staff.sessions.list(bo.id)).find((s) => s.userAgent === 'Tablet')!;
    const revoked = await desk.post(`/staff/account/sessions/${tabletSession.id}/revoke`);
    expect(revoked.headers.get('location')).toBe('/staff/account?notice=revoked');
    expect((await tablet.get('/staff')).status).toBe(303);
    expect((await desk.get('/staff')).status).toBe(200);
    await app.deps.staff.accounts.deactivate(systemActor, bo.id);
    expect((await desk.get('/staff')).status).toBe(303);
  });

  it('changes the password from the account page (current one required), signing out other devices', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account: bo, browser: desk } = await signedInStaff(app, 'reception');
    const tablet = await signedInAs(app, bo.email);
    await desk.text(await desk.get('/staff/account'));
    const wrong = await desk.post('/staff/account/password', {
      current: 'not my password!',
      password: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(422);
    expect(await desk.text(wrong)).toContain('Your current password is not right.');
    const weak = await desk.post('/staff/account/password', { current: PASSWORD, password: 'password1234' });
    expect(weak.status).toBe(422);
    expect(await desk.text(weak)).toContain('too common');
    const ok = await desk.post('/staff/account/password', {
      current: PASSWORD,
      password: 'a brand new passphrase',
    });
    expect(ok.headers.get('location')).toBe('/staff/account?notice=password-changed');
    expect((await desk.get('/staff')).status).toBe(200);
    expect((await tablet.get('/staff')).status).toBe(303);
    expect(
      await app.deps.staff.accounts.authenticate({ email: bo.email, password: 'a brand new passphrase' }),
    ).not.toBeNull();
  });

  it('makes new recovery codes; the old ones stop working', async () => {
    app = await createTestApp();
    const browser = testBrowser(app.http);
    const { codes: old } = await setupAdminWithCodes(browser);
    const first = await browser.text(await browser.get('/staff/account'));
    expect(first).toContain('Make new recovery codes');
    const page = await browser.text(await browser.post('/staff/account/recovery-codes'));
    const codes = [...page.matchAll(/<li><code>([a-z0-9-]{14})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(codes).not.toContain(old[0]);

    /** Signs in again with the password, then this code as the second factor. */
    const withCode = async (code: string) => {
      const b = testBrowser(app.http);
      await b.signIn('ada@clinic.example', PASSWORD);
      await b.text(await b.get('/staff/login/code'));
      return b.post('/staff/login/code', { code });
    };
    const stale = await withCode(old[0]!);
    expect(stale.status).toBe(401);
    expect(await stale.text()).toContain('That code is not right');
    // Typed as read from paper: upper case, spaces for dashes.
    const fresh = await withCode(codes[0]!.toUpperCase().replaceAll('-', ' '));
    expect(fresh.status).toBe(303);
    expect(fresh.headers.get('location')).toBe('/staff');
    expect((await withCode(codes[0]!)).status).toBe(401); // each code works once
  });

  it('limits sign-in attempts to 10 a minute per address with 429 and Retry-After', async () => {
    app = await createTestApp();
    const browser = testBrowser(app.http, { ip: '203.0.113.9' });
    await browser.text(await browser.get('/staff/login'));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await browser.post('/staff/login', { email: `x${i}@clinic.example`, password: 'wrong password!!' }))
          .status,
      );
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const limited = await browser.post('/staff/login', {
      email: 'y@clinic.example',
      password: 'wrong password!!',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = testBrowser(app.http, { ip: '203.0.113.10' });
    expect((await other.signIn('y@clinic.example', 'wrong password!!')).status).toBe(401);
  });
});
