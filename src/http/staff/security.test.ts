import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';
import { STAFF_PASSWORD as PASSWORD, signedInStaff, staffMember } from '../../testing/signed-in.ts';
import { staffPasskeyOnRecord } from '../../testing/staff-passkey.ts';
import { enrolTotp } from '../../testing/totp.ts';

/** Regression tests from the security review of staff sign-in. */

describe('staff sign-in cannot be short-cut', () => {
  let app: TestApp;
  afterEach(() => app.destroy());

  /** Bo, an admin, by whose email the sign-in tests below sign in. */
  const bo = () => staffMember(app, 'admin', { email: 'bo@clinic.example', name: 'Bo' });
  async function memberWithTotp() {
    const { account: member } = await bo();
    return { member, secret: await enrolTotp(app, member.id) };
  }
  async function passwordOnly(ip = '10.0.0.1') {
    const b = testBrowser(app.http, { ip });
    const res = await b.signIn('bo@clinic.example', PASSWORD);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login\/code/);
    return b;
  }
  /** `allowed` attempts answer `status`; the next is refused (429), saying to retry in over a minute. */
  async function expectLimitedAfter(
    allowed: number,
    status: number,
    attempt: (i: number) => Promise<Response>,
  ) {
    for (let i = 0; i < allowed; i++) expect((await attempt(i)).status).toBe(status);
    const limited = await attempt(allowed);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
  }
  /** A JSON POST as the page's script sends it (the CSRF token in its header). */
  const json = (b: TestBrowser, path: string, body: unknown) =>
    b.json('POST', path, body, { accept: 'application/json', 'x-csrf-token': b.cookies.get('cb_csrf')! });

  it('a password-only session cannot add a passkey when the account has a second factor', async () => {
    app = await createTestApp();
    await memberWithTotp();
    const attacker = await passwordOnly();
    expect((await json(attacker, '/staff/account/passkeys/options', {})).status).toBe(403);
    expect((await json(attacker, '/staff/account/passkeys', { name: 'x', response: {} })).status).toBe(403);
  });

  it('a password-only session of a passkey account cannot set up an authenticator app instead', async () => {
    app = await createTestApp();
    const { account: member } = await bo();
    await staffPasskeyOnRecord(app, member.id);
    const attacker = await passwordOnly();
    const setup = await attacker.get('/staff/setup/totp');
    expect(setup.status).toBe(303);
    expect(setup.headers.get('location')).toBe('/staff/login/code');
    const confirm = await attacker.post('/staff/setup/totp', { code: '123456' });
    expect(confirm.status).toBe(403);
    expect((await attacker.get('/staff/admin/staff')).status).toBe(303); // still not in

    await app.deps.staff.accounts.resetSecondFactor(systemActor, member.id);
    expect(await app.deps.staff.passkeys.list(member.id)).toEqual([]); // a reset removes passkeys too
  });

  it('a passkey counts as a second factor when MFA is optional: the password alone does not get in', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account: member } = await bo();
    await staffPasskeyOnRecord(app, member.id);
    const b = testBrowser(app.http);
    const res = await b.signIn('bo@clinic.example', PASSWORD);
    expect(res.headers.get('location')).toBe('/staff/login/code?next=%2Fstaff');
    for (const path of ['/staff', '/staff/admin/staff', '/staff/account']) {
      const page = await b.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 303 });
    }
    const second = await b.text(await b.get('/staff/login/code'));
    expect(second).toContain('Use the passkey you added');
    const [entry] = await app.deps.audit.list({ limit: 1 });
    expect(entry?.action).toBe('staff.sign-in-password'); // not a full sign-in
  });

  it('another session never sees a pending authenticator secret', async () => {
    app = await createTestApp();
    await bo();
    const secretOf = async (ip: string) => {
      const b = testBrowser(app.http, { ip });
      await b.signIn('bo@clinic.example', PASSWORD);
      const page = await b.text(await b.get('/staff/setup/totp'));
      return /<code class="secret">([^<]+)<\/code>/.exec(page)![1];
    };
    expect(await secretOf('10.0.0.1')).not.toBe(await secretOf('10.0.0.2'));
  });

  it('a burst of wrong codes from many addresses stops at 10 an hour', async () => {
    app = await createTestApp();
    await memberWithTotp();
    const b = await passwordOnly();
    const csrf = b.cookies.get('cb_csrf')!;
    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, i) => {
        b.from(`10.1.${Math.floor(i / 5)}.${i % 5}`);
        return b.post('/staff/login/code', { _csrf: csrf, code: '000000' });
      }),
    );
    const statuses = responses.map((r) => r.status);
    const limited = responses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(statuses.filter((s) => s === 401).length).toBe(10);
    expect(statuses.filter((s) => s === 429).length).toBe(140);
    const failures = (await app.deps.audit.list({ limit: 200 })).filter(
      (r) => r.action === 'staff.second-factor-failed',
    );
    expect(failures.length).toBeGreaterThan(0);
  }, 60_000);

  it('adding a passkey from the account page needs the password again; staff pages are never cached', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { browser: b } = await signedInStaff(app, 'admin');
    const page = await b.get('/staff/account');
    expect(page.headers.get('cache-control')).toBe('no-store');
    await b.text(page);
    const wrong = await json(b, '/staff/account/passkeys', {
      name: 'x',
      password: 'not the password!',
      response: {},
    });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('wrong_password');
  });

  it('limits guesses of the current password on the account page', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { browser: b } = await signedInStaff(app, 'admin', { browser: { ip: '10.9.9.9' } });
    await b.text(await b.get('/staff/account'));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (
          await b.post('/staff/account/password', {
            current: `guess number ${i}!`,
            password: 'a brand new passphrase',
          })
        ).status,
      );
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
    expect(statuses[10]).toBe(429);
  }, 60_000);

  it('says when to retry (Retry-After) once a password change is refused for too many wrong passwords', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { browser: b } = await signedInStaff(app, 'admin');
    // From many addresses, so the per-address limit (10 a minute) is not what stops them.
    const attempt = (i: number) => {
      b.from(`10.2.0.${i}`);
      return b.post('/staff/account/password', {
        _csrf: b.cookies.get('cb_csrf')!,
        current: `guess number ${i}!`,
        password: 'a brand new passphrase',
      });
    };
    await expectLimitedAfter(20, 422, attempt);
  }, 60_000);

  it('says when to retry (Retry-After) once adding a passkey is refused for too many wrong passwords', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { browser: b } = await signedInStaff(app, 'admin');
    const attempt = (i: number) => {
      b.from(`10.3.${Math.floor(i / 5)}.${i % 5}`);
      return b.json(
        'POST',
        '/staff/account/passkeys',
        { name: 'x', password: `guess number ${i}!`, response: {} },
        { accept: 'application/json', 'x-csrf-token': b.cookies.get('cb_csrf')! },
      );
    };
    await expectLimitedAfter(100, 403, attempt);
  }, 60_000);

  it('an account takes 100 failed sign-ins an hour, each slower than the last, then none until the hour is over', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await bo();
    let ip = 0;
    const attempt = async (password: string) => {
      // Each from a new address: the per-address limit is another test's.
      const b = testBrowser(app.http, { ip: `10.4.${Math.floor(ip / 250)}.${ip++ % 250}` });
      await b.text(await b.get('/staff/login'));
      const started = performance.now();
      const res = await b.post('/staff/login', { email: 'bo@clinic.example', password });
      return { res, ms: performance.now() - started };
    };
    // The first three mistakes cost nothing; then 0.5 s, 1 s, 2 s…
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { res, ms } = await attempt(`wrong guess ${i}!!`);
      expect(res.status).toBe(401);
      times.push(ms);
    }
    expect(Math.max(...times.slice(0, 3))).toBeLessThan(400);
    expect(times[3]).toBeGreaterThanOrEqual(450);
    expect(times[4]).toBeGreaterThanOrEqual(950);
    expect(times[5]).toBeGreaterThanOrEqual(1900);
    // Up to 100 (in parallel: each waits at most 5 s).
    const rest = await Promise.all(Array.from({ length: 94 }, (_, i) => attempt(`wrong guess ${i + 6}!!`)));
    expect(rest.map((r) => r.res.status)).toEqual(Array(94).fill(401));

    // Now even the right password is refused, without being checked, until the hour is over.
    const refused = await attempt(PASSWORD);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(3000);
    app.clock.advance(30 * 60_000);
    expect((await attempt(PASSWORD)).res.status).toBe(429);
    app.clock.advance(91 * 60_000);
    const back = await attempt(PASSWORD);
    expect(back.res.status).toBe(303);
    expect(back.res.headers.get('location')).toBe('/staff');
  }, 60_000);
});
