import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { type TestBrowser, testBrowser } from '../../src/testing/browser.ts';
import { jobsDone } from '../../src/testing/jobs.ts';
import { addPatientLogin, patientOnRecord } from '../../src/testing/signed-in.ts';
import { until } from '../../src/testing/wait.ts';

/*
 * Issue 14, item 6: ten wrong codes used to lock a patient's address for an hour, so anyone who
 * knew a patient's email could keep them out. Replayed over HTTP: strangers guess from their own
 * network addresses (and with forged sign-in cookies); the patient asks for a code on her phone.
 */
describe('wrong sign-in codes lock out the guesser, not the patient', () => {
  let app: AppWithSinks;
  let made = 0;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { patientCodeIpLimit: 1000 } });
  });
  afterAll(() => app.destroy());

  /** A patient on record who signs in with her email address; the address. */
  async function patientWithLogin(): Promise<string> {
    made += 1;
    const email = `maya-${made}@example.org`;
    const patient = await patientOnRecord(app, { email });
    await addPatientLogin(app, patient.id, `email:${email}`);
    return email;
  }
  const codeMails = (email: string) =>
    app
      .mailsTo(email)
      .filter((m) => /sign-in code/.test(m.subject ?? ''))
      .map((m) => {
        const text = m.text ?? '';
        return { code: /\b(\d{6})\b/.exec(text)![1]!, link: /&link=([\w-]{43})/.exec(text)![1]! };
      });
  /** The links of the code emails already read: each request's own email is the one with a new link. */
  const readLinks = new Set<string>();
  /**
   * Asks for a code in `browser` and reads it (and the link) from the email it sends — the one
   * whose link is new, not the nth: on a loaded machine a send can time out after the sink took
   * it, and its retry, due by the app's clock, delivers that older code again once a test
   * advances the clock.
   */
  async function askForCode(browser: TestBrowser, email: string): Promise<{ code: string; link: string }> {
    expect((await browser.json('POST', '/api/v1/auth/start', { email })).status).toBe(202);
    await until(`a new code email to ${email}`, async () =>
      codeMails(email).some((m) => !readLinks.has(m.link)),
    );
    // A send retried after a slow answer (a loaded machine) makes a fresh code, which kills the
    // one already emailed: the newest email holds the live code.
    await jobsDone(app, 'notifications.send-message');
    const fresh = codeMails(email).filter((m) => !readLinks.has(m.link));
    for (const m of fresh) readLinks.add(m.link);
    return fresh.at(-1)!;
  }
  /** The `n`th wrong guess at `code` (each a different number). */
  const guess = (code: string, n: number) => {
    const g = String(n).padStart(6, '0');
    return g === code ? String(n + 500_000) : g;
  };
  const verify = (browser: TestBrowser, email: string, code: string) =>
    browser.json('POST', '/api/v1/auth/verify', { email, code });
  const signInCookie = 'cb_patient_signin';

  it('a stranger’s wrong codes lock the stranger out of that address; the patient signs in on her phone', async () => {
    const email = await patientWithLogin();
    const maya = testBrowser(app.http, { ip: '198.51.100.20' });
    const stranger = testBrowser(app.http, { ip: '203.0.113.7' });
    const { code } = await askForCode(maya, email);
    for (let n = 0; n < 12; n++) expect((await verify(stranger, email, guess(code, n))).status).toBe(401);
    // Locked out: even the right code does not work from the stranger's address now.
    const refused = await verify(stranger, email, code);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('code_invalid');
    // Her phone asked for the code: the stranger's guesses neither spent it nor locked her out.
    expect((await verify(maya, email, code)).status).toBe(200);
  });

  it('a guesser gains no tries by sending a made-up sign-in cookie with each guess', async () => {
    const email = await patientWithLogin();
    const maya = testBrowser(app.http, { ip: '198.51.100.21' });
    const stranger = testBrowser(app.http, { ip: '203.0.113.8' });
    const { code } = await askForCode(maya, email);
    for (let n = 0; n < 10; n++) {
      stranger.cookies.set(signInCookie, `forged-${n}-${'x'.repeat(30)}`);
      expect((await verify(stranger, email, guess(code, n))).status).toBe(401);
    }
    stranger.cookies.set(signInCookie, `forged-last-${'x'.repeat(30)}`);
    expect((await verify(stranger, email, code)).status).toBe(401);
    expect((await verify(maya, email, code)).status).toBe(200);
  });

  it('guessers from many addresses get 20 tries a day at an address between them; the asking phone still signs in', async () => {
    const email = await patientWithLogin();
    const maya = testBrowser(app.http, { ip: '198.51.100.22' });
    const { code } = await askForCode(maya, email);
    for (let n = 0; n < 20; n++) {
      const guesser = testBrowser(app.http, { ip: `192.0.2.${n + 1}` });
      expect((await verify(guesser, email, guess(code, n))).status).toBe(401);
    }
    // The 21st guesser, from a fresh address, is refused even with the right code.
    expect((await verify(testBrowser(app.http, { ip: '192.0.2.99' }), email, code)).status).toBe(401);
    expect((await verify(maya, email, code)).status).toBe(200);
  });

  it('the patient is told once that someone tried wrong codes', async () => {
    const email = await patientWithLogin();
    const warnings = () => app.mailsTo(email).filter((m) => /wrong codes/.test(m.text ?? ''));
    for (const ip of ['203.0.113.20', '203.0.113.21']) {
      const stranger = testBrowser(app.http, { ip });
      for (let n = 0; n < 10; n++) await verify(stranger, email, guess('', n));
    }
    const [warning] = await until('the warning email', async () => warnings().length > 0 && warnings());
    expect(warning!.subject).toMatch(/someone tried to sign in/i);
    expect(warning!.text).not.toMatch(/\b\d{6}\b/);
    await jobsDone(app, 'notifications.send-message');
    expect(warnings()).toHaveLength(1);
  });

  it('after her own 5 wrong tries the code is dead, but the emailed link still signs her in', async () => {
    const email = await patientWithLogin();
    const maya = testBrowser(app.http, { ip: '198.51.100.23' });
    const { code, link } = await askForCode(maya, email);
    for (let n = 0; n < 5; n++) expect((await verify(maya, email, guess(code, n))).status).toBe(401);
    expect((await verify(maya, email, code)).status).toBe(401);
    expect((await maya.json('POST', '/api/v1/auth/verify-link', { email, token: link })).status).toBe(200);
  });

  it('codes locked for everyone after 100 wrong tries a day; the link still works, and the lock ends', async () => {
    const email = await patientWithLogin();
    const attacker = testBrowser(app.http, { ip: '203.0.113.30' });
    let moved = 0;
    const advance = (ms: number) => {
      app.clock.advance(ms);
      moved += ms;
    };
    try {
      // The attacker asks for codes (5 an hour may be sent) and spends each one's 5 tries.
      for (let round = 0; round < 20; round++) {
        if (round > 0 && round % 5 === 0) advance(3_600_000);
        const { code } = await askForCode(attacker, email);
        for (let n = 0; n < 5; n++) await verify(attacker, email, guess(code, n));
      }
      advance(3_600_000);
      const maya = testBrowser(app.http, { ip: '198.51.100.24' });
      const { code, link } = await askForCode(maya, email);
      expect((await verify(maya, email, code)).status).toBe(401);
      expect((await maya.json('POST', '/api/v1/auth/verify-link', { email, token: link })).status).toBe(200);
      // A day after the first wrong try, codes work again.
      advance(20 * 3_600_000);
      const next = await askForCode(maya, email);
      expect((await verify(maya, email, next.code)).status).toBe(200);
    } finally {
      app.clock.advance(-moved);
    }
  });
});
