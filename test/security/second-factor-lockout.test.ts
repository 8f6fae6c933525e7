import { describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { type TestBrowser, testBrowser } from '../../src/testing/browser.ts';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { secondInstance } from '../../src/testing/second-instance.ts';
import { STAFF_PASSWORD, staffMember } from '../../src/testing/signed-in.ts';
import { enrolTotp, totpCode } from '../../src/testing/totp.ts';
import { until } from '../../src/testing/wait.ts';

/**
 * Issue 14, item 9: wrong second-factor codes were counted in memory, per instance (a restart or
 * another instance started again from zero), and 100 an hour were allowed. They are counted on
 * the account in the database: ten wrong codes within an hour lock the codes for an hour, the
 * member is emailed, and the lock is audited.
 */
describe('guessing a staff member’s second factor', () => {
  const cleanups = cleanupsAfterEach();
  /** An app with its sinks, ended after the test. */
  const appWithSinks = async () => {
    const app = await createAppWithSinks();
    cleanups.push(() => app.destroy());
    return app;
  };

  let ip = 0;
  /** The next request from a new address (the per-address limit of sign-in posts is not under test). */
  const fromNewAddress = (b: TestBrowser) => {
    b.from(`10.14.${Math.floor(ip / 250)}.${ip++ % 250}`);
    return b;
  };
  /** A browser on `instance` that signed in with the password only (the code still owed), from a new address. */
  async function passwordOnly(instance: { http: AppWithSinks['http'] }, email: string): Promise<TestBrowser> {
    const b = fromNewAddress(testBrowser(instance.http));
    const res = await b.signIn(email, STAFF_PASSWORD);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login\/code/);
    await b.text(await b.get('/staff/login/code'));
    return b;
  }

  it('ten wrong codes an hour, spread over two instances, lock the codes: the right one is refused, the member is emailed, it is audited', async () => {
    const app = await appWithSinks();
    const other = await secondInstance(app);
    cleanups.push(() => other.close());
    const { account: bo } = await staffMember(app, 'admin', { email: 'bo@clinic.example', name: 'Bo' });
    const secret = await enrolTotp(app, bo.id);
    const browsers = [await passwordOnly(app, bo.email), await passwordOnly(other, bo.email)];

    for (let i = 0; i < 10; i++) {
      const b = fromNewAddress(browsers[i % 2]!);
      const wrong = await b.post('/staff/login/code', { code: String(100000 + i) });
      expect(wrong.status).toBe(401);
    }
    app.clock.advance(30_000);
    const right = totpCode(secret, app.clock.now());
    for (const b of browsers) {
      const refused = await fromNewAddress(b).post('/staff/login/code', { code: right });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50 * 60);
      expect(await b.text(refused)).toContain('Too many wrong codes');
      expect((await b.get('/staff')).status).toBe(303); // still not in
    }

    const mail = await until('the lock email', async () => app.mailsTo(bo.email)[0]);
    expect(mail.subject).toMatch(/second factor is locked/);
    expect(mail.text).toContain('10 wrong codes');
    const locked = (await app.deps.audit.list({ limit: 100 })).filter((r) => r.action === 'staff.mfa-locked');
    expect(locked.map((r) => r.entityId)).toEqual([bo.id]);

    // An hour later the codes work again.
    app.clock.advance(61 * 60_000);
    const back = await passwordOnly(app, bo.email);
    const inAgain = await back.post('/staff/login/code', { code: totpCode(secret, app.clock.now()) });
    expect(inAgain.headers.get('location')).toBe('/staff');
  }, 60_000);

  it('a right code clears the count; failures older than an hour do not count', async () => {
    const app = await appWithSinks();
    const { account: cy } = await staffMember(app, 'reception', { email: 'cy@clinic.example', name: 'Cy' });
    const secret = await enrolTotp(app, cy.id);
    const wrongCodes = async (n: number) => {
      const b = await passwordOnly(app, cy.email);
      for (let i = 0; i < n; i++)
        expect((await fromNewAddress(b).post('/staff/login/code', { code: String(200000 + i) })).status).toBe(
          401,
        );
      return b;
    };
    const b = await wrongCodes(9);
    app.clock.advance(30_000);
    const first = await fromNewAddress(b).post('/staff/login/code', {
      code: totpCode(secret, app.clock.now()),
    });
    expect(first.status).toBe(303);
    await wrongCodes(9);
    app.clock.advance(61 * 60_000);
    const late = await wrongCodes(9);
    app.clock.advance(30_000);
    const right = await fromNewAddress(late).post('/staff/login/code', {
      code: totpCode(secret, app.clock.now()),
    });
    expect(right.headers.get('location')).toBe('/staff');
    expect(app.mailsTo(cy.email)).toEqual([]);
  }, 60_000);
});
