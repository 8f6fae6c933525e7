import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { type TestBrowser, testBrowser } from '../../src/testing/browser.ts';
import { STAFF_PASSWORD, signedInStaff, staffMember } from '../../src/testing/signed-in.ts';
import { staffPasskeyOnRecord } from '../../src/testing/staff-passkey.ts';
import { enrolTotp, signedInWithCode, totpCode } from '../../src/testing/totp.ts';

/**
 * Issue 14, item 8: with nothing but a signed-in session (a computer left unlocked, a stolen
 * cookie) one could make new recovery codes, remove a passkey or set up a second factor. Changes
 * to how a member signs in now need a proof within the last 5 minutes — the password, a code from
 * the app, or a fresh sign-in — given on a "Confirm it’s you" page that then returns where the
 * member was.
 */
const SIX_MINUTES = 6 * 60_000;
const confirmFrom = (page: string) => `/staff/account/confirm?next=${encodeURIComponent(page)}`;

describe('changes to how a staff member signs in', () => {
  let app: TestApp;
  afterEach(() => app.destroy());

  const actions = async () => (await app.deps.audit.list({ limit: 200 })).map((r) => r.action);
  const codesOn = (page: string) => [...page.matchAll(/<li><code>([a-z0-9-]{14})<\/code><\/li>/g)];

  it('new recovery codes need a proof within 5 minutes; a code from the app on the confirm page gives it', async () => {
    app = await createTestApp();
    const { account: ada } = await staffMember(app, 'admin', { email: 'ada@clinic.example' });
    const secret = await enrolTotp(app, ada.id);
    const b = await signedInWithCode(app, ada.email, secret);
    await b.text(await b.get('/staff/account'));
    expect(codesOn(await b.text(await b.post('/staff/account/recovery-codes')))).toHaveLength(10); // just signed in

    app.clock.advance(SIX_MINUTES);
    await b.text(await b.get('/staff/account'));
    const asked = await b.post('/staff/account/recovery-codes');
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(confirmFrom('/staff/account'));
    expect((await actions()).filter((a) => a === 'staff.recovery-codes')).toHaveLength(1);

    const confirm = await b.text(await b.get(confirmFrom('/staff/account')));
    expect(confirm).toContain('Confirm it’s you');
    expect(confirm).toContain('name="password"');
    expect(confirm).toContain('name="code"');
    const wrong = await b.post(confirmFrom('/staff/account'), { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(await b.text(wrong)).toContain('not right');
    app.clock.advance(30_000);
    const confirmed = await b.post(confirmFrom('/staff/account'), {
      code: totpCode(secret, app.clock.now()),
    });
    expect(confirmed.headers.get('location')).toBe('/staff/account');
    await b.text(await b.get('/staff/account'));
    expect(codesOn(await b.text(await b.post('/staff/account/recovery-codes')))).toHaveLength(10);
    expect(await actions()).toEqual(
      expect.arrayContaining(['staff.reauthenticate', 'staff.reauthenticate-failed']),
    );

    app.clock.advance(SIX_MINUTES); // the proof lasts 5 minutes
    await b.text(await b.get('/staff/account'));
    expect((await b.post('/staff/account/recovery-codes')).headers.get('location')).toBe(
      confirmFrom('/staff/account'),
    );
  });

  it('removing a passkey and setting up an authenticator app need it too; the password gives it', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account: bo, browser: b } = await signedInStaff(app, 'reception');
    await staffPasskeyOnRecord(app, bo.id);
    app.clock.advance(SIX_MINUTES);
    await b.text(await b.get('/staff/account'));
    const remove = await b.post('/staff/account/passkeys/cred-1/delete');
    expect(remove.headers.get('location')).toBe(confirmFrom('/staff/account'));
    expect(await app.deps.staff.passkeys.list(bo.id)).toHaveLength(1);
    const setup = await b.get('/staff/setup/totp');
    expect(setup.headers.get('location')).toBe(confirmFrom('/staff/setup/totp'));

    await b.text(await b.get(confirmFrom('/staff/setup/totp')));
    const wrong = await b.post(confirmFrom('/staff/setup/totp'), { password: 'not my password at all' });
    expect(wrong.status).toBe(401);
    await b.text(wrong);
    const confirmed = await b.post(confirmFrom('/staff/setup/totp'), { password: STAFF_PASSWORD });
    expect(confirmed.headers.get('location')).toBe('/staff/setup/totp');
    expect(await b.text(await b.get('/staff/setup/totp'))).toContain('<code class="secret">');
    await b.text(await b.get('/staff/account'));
    expect((await b.post('/staff/account/passkeys/cred-1/delete')).headers.get('location')).toBe(
      '/staff/account?notice=passkey-removed',
    );
    expect(await app.deps.staff.passkeys.list(bo.id)).toEqual([]);
  });

  it('a member without a password (single sign-on) cannot add a passkey with the session alone; their second factor confirms', async () => {
    app = await createTestApp({
      config: {
        oidcIssuer: 'https://login.clinic.example',
        oidcClientId: 'clinicbox',
        oidcClientSecret: 'a-long-test-client-secret-0123456789',
      },
    });
    const cy = await app.deps.staff.accounts.invite(systemActor, {
      email: 'cy@clinic.example',
      name: 'Cy',
      role: 'practitioner',
    });
    const secret = await enrolTotp(app, cy.id);
    const b = await sessionOf(cy);
    app.clock.advance(SIX_MINUTES);
    await b.text(await b.get('/staff/account'));
    const add = await addPasskey(b);
    expect(add.status).toBe(403);
    expect((await add.json()).error.code).toBe('reauthentication_required');

    const confirm = await b.text(await b.get(confirmFrom('/staff/account')));
    expect(confirm).not.toContain('name="password"'); // they have none
    expect(confirm).toContain('name="code"');
    expect(confirm).toContain('/staff/login/sso?next=%2Fstaff%2Faccount&amp;again=1'); // or sign in again there
    app.clock.advance(30_000);
    const confirmed = await b.post(confirmFrom('/staff/account'), {
      code: totpCode(secret, app.clock.now()),
    });
    expect(confirmed.headers.get('location')).toBe('/staff/account');
    await b.text(await b.get('/staff/account'));
    const again = await addPasskey(b);
    // Past the confirmation: refused now only because the made-up answer is not a real passkey.
    expect((await again.json()).error.code).not.toBe('reauthentication_required');
  });

  it('the confirm page sends back only within this site', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { browser: b } = await signedInStaff(app, 'admin');
    const elsewhere = '/staff/account/confirm?next=https%3A%2F%2Fevil.example%2F';
    await b.text(await b.get(elsewhere));
    expect((await b.post(elsewhere, { password: STAFF_PASSWORD })).headers.get('location')).toBe('/staff');
  });

  /** A browser with a session of `account` as single sign-on starts it (no password on the account). */
  async function sessionOf(account: { id: string }): Promise<TestBrowser> {
    const member = await app.deps.staff.accounts.get(account.id);
    const { token } = await app.deps.staff.accounts.startSession(systemActor, member, {
      mfaVerified: true,
      method: 'sso',
    });
    const b = testBrowser(app.http);
    b.cookies.set('cb_staff', token);
    return b;
  }
  /** The account page's script adding a passkey (here with a made-up answer from the device). */
  const addPasskey = (b: TestBrowser) =>
    b.json(
      'POST',
      '/staff/account/passkeys',
      { name: 'Laptop', response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } },
      { accept: 'application/json', 'x-csrf-token': b.cookies.get('cb_csrf')! },
    );
});
