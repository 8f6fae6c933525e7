import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testBrowser } from '../../testing/browser.ts';
import { STAFF_PASSWORD, signedInAs, staffMember } from '../../testing/signed-in.ts';

/** The passkey endpoints over HTTP; the full ceremony runs in a real browser (test/browser). */
describe('staff passkeys over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    await staffMember(app, 'admin', { email: 'ada@clinic.example', name: 'Ada' });
  });
  afterAll(() => app.destroy());

  const json = (csrf: string, body: unknown = {}) => ({
    accept: 'application/json',
    'content-type': 'application/json',
    'x-csrf-token': csrf,
    body: JSON.stringify(body),
  });

  it('offers sign-in options with a fresh challenge and refuses an unknown passkey', async () => {
    const browser = testBrowser(app.http);
    await browser.text(await browser.get('/staff/login'));
    const csrf = browser.cookies.get('cb_csrf')!;
    const send = (path: string, body?: unknown) => {
      const { body: b, ...headers } = json(csrf, body);
      return app.http.request(`http://localhost${path}`, {
        method: 'POST',
        headers: { ...headers, cookie: `cb_csrf=${csrf}`, origin: 'http://localhost' },
        body: b,
      });
    };
    const options = await (await send('/staff/login/passkey/options')).json();
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(options.challenge).toMatch(/^[\w-]{20,}$/);
    const again = await (await send('/staff/login/passkey/options')).json();
    expect(again.challenge).not.toBe(options.challenge);

    const refused = await send('/staff/login/passkey', {
      id: 'nope',
      rawId: 'nope',
      type: 'public-key',
      response: {},
    });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/not registered here/);
    const noCsrf = await app.http.request('http://localhost/staff/login/passkey/options', {
      method: 'POST',
      headers: { origin: 'http://localhost' },
    });
    expect(noCsrf.status).toBe(403);
  });

  it('registration options exclude nothing yet and require a resident, verified credential; a bogus answer changes nothing', async () => {
    const browser = await signedInAs(app, 'ada@clinic.example');
    const page = await browser.text(await browser.get('/staff/account'));
    expect(page).toContain('Add a passkey');
    expect(page).toContain('/static/passkeys.js');
    const csrf = browser.cookies.get('cb_csrf')!;
    const post = (path: string, body: unknown) =>
      browser.json('POST', path, body, { accept: 'application/json', 'x-csrf-token': csrf });
    const options = await (await post('/staff/account/passkeys/options', {})).json();
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Clinicbox' },
      user: { name: 'ada@clinic.example' },
      excludeCredentials: [],
    });
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    const bogus = await post('/staff/account/passkeys', {
      name: 'Laptop',
      password: STAFF_PASSWORD,
      response: {
        id: 'x',
        rawId: 'x',
        type: 'public-key',
        response: { clientDataJSON: 'e30', attestationObject: 'oA' },
      },
    });
    expect(bogus.status).toBe(409);
    const adaId = (await app.deps.staff.accounts.findActiveByEmail('ada@clinic.example'))!.id;
    expect(await app.deps.staff.passkeys.list(adaId)).toEqual([]);
  });

  it('serves the browser library and the passkey script', async () => {
    const lib = await app.http.request('/static/vendor/simplewebauthn/index.umd.min.js');
    expect(lib.status).toBe(200);
    expect(await lib.text()).toContain('SimpleWebAuthnBrowser');
    expect((await app.http.request('/static/passkeys.js')).status).toBe(200);
  });
});
