import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { type TestBrowser, testBrowser } from '../../src/testing/browser.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import { jobsDone } from '../../src/testing/jobs.ts';
import { registerPatient } from '../../src/testing/patient-browser.ts';
import { signedInPatient, signedInStaff } from '../../src/testing/signed-in.ts';
import { until } from '../../src/testing/wait.ts';

/*
 * Issue 14, item 10: a patient's new email or phone (PATCH /api/v1/me, and the phone given at
 * registration) was used for messages at once, unverified — so a typo, or someone on a borrowed
 * phone, redirected the patient's messages. Replayed over HTTP with a real SMTP sink and SMS gateway.
 */
describe('a patient’s new email or phone is used only once the code sent to it comes back', () => {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let made = 0;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { patientCodeIpLimit: 1000, staffMfa: 'optional' } });
    clinic = await seedClinic(app);
  });
  afterAll(() => app.destroy());

  const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? '')![1]!;
  const wrongOf = (code: string) => (code === '000000' ? '000001' : '000000');
  const mailCode = async (email: string, seen = 0) =>
    codeIn((await until(`code ${seen + 1} to ${email}`, async () => app.mailsTo(email)[seen])).text);
  const smsCode = async (phone: string, seen = 0) =>
    codeIn(
      JSON.parse((await until(`SMS ${seen + 1} to ${phone}`, async () => app.smsTo(phone)[seen])).body).text,
    );
  const me = async (browser: TestBrowser) =>
    (
      (await (await browser.get('/api/v1/me')).json()) as {
        patient: { email: string | null; phone: string | null };
      }
    ).patient;
  const pending = async (browser: TestBrowser) =>
    (
      (await (await browser.get('/api/v1/auth/contact')).json()) as {
        pending: { channel: string; value: string }[];
      }
    ).pending;
  const confirm = (browser: TestBrowser, channel: 'email' | 'phone', code: string) =>
    browser.json('POST', '/api/v1/auth/contact/verify', { channel, code });
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
  const next = () => {
    made += 1;
    return made;
  };

  it('a new email waits for its code: messages go to the verified one until then', async () => {
    const n = next();
    const old = `old-${n}@example.org`;
    const fresh = `new-${n}@example.org`;
    const { patient, browser } = await signedInPatient(app, { email: old });
    expect((await browser.json('PATCH', '/api/v1/me', { email: `New-${n}@Example.org` })).status).toBe(200);
    expect((await me(browser)).email).toBe(old);
    expect(await pending(browser)).toMatchObject([{ channel: 'email', value: fresh }]);
    const code = await mailCode(fresh);
    // A message meanwhile goes to the address the patient proved.
    await bookAppointment(app, clinic, patient.id, '2026-03-10T08:00:00.000Z');
    await until('the booking email to the old address', async () =>
      app.mailsTo(old).some((m) => !/code/i.test(m.subject ?? '')),
    );
    await jobsDone(app, 'notifications.send-message');
    expect(app.mailsTo(fresh)).toHaveLength(1);

    const wrong = await confirm(browser, 'email', wrongOf(code));
    expect(wrong.status).toBe(422);
    expect(await errorCode(wrong)).toBe('code_invalid');
    expect((await me(browser)).email).toBe(old);
    const right = await confirm(browser, 'email', code);
    expect(right.status).toBe(200);
    expect(((await right.json()) as { patient: { email: string } }).patient.email).toBe(fresh);
    expect(await pending(browser)).toEqual([]);
    expect((await confirm(browser, 'email', code)).status).toBe(404);
  });

  it('a new phone waits for its code: SMS go to the verified number until then', async () => {
    const n = next();
    const old = `+4479110${String(n).padStart(5, '0')}`;
    const fresh = `+4479112${String(n).padStart(5, '0')}`;
    const { patient, browser } = await signedInPatient(app, { email: `phone-${n}@example.org`, phone: old });
    expect((await browser.json('PATCH', '/api/v1/me', { phone: fresh })).status).toBe(200);
    expect((await me(browser)).phone).toBe(old);
    const code = await smsCode(fresh);
    await bookAppointment(app, clinic, patient.id, '2026-03-10T09:00:00.000Z');
    await until('the booking SMS to the old number', async () => app.smsTo(old).length > 0);
    await jobsDone(app, 'notifications.send-message');
    expect(app.smsTo(fresh)).toHaveLength(1);
    expect((await confirm(browser, 'phone', code)).status).toBe(200);
    expect((await me(browser)).phone).toBe(fresh);
  });

  it('the phone given at registration is pending until its code comes back; the email signed in with is verified', async () => {
    const n = next();
    const email = `reg-${n}@example.org`;
    const phone = `+3361122${String(n).padStart(4, '0')}`;
    const browser = testBrowser(app.http);
    expect((await browser.json('POST', '/api/v1/auth/start', { email })).status).toBe(202);
    const signInCode = await mailCode(email);
    expect((await browser.json('POST', '/api/v1/auth/verify', { email, code: signInCode })).status).toBe(200);
    const reg = await registerPatient(browser, {
      firstName: 'Rae',
      lastName: 'Reg',
      dateOfBirth: '1990-01-01',
      phone,
    });
    expect(reg.status).toBe(201);
    expect(
      ((await reg.json()) as { patient: { email: string; phone: string | null } }).patient,
    ).toMatchObject({
      email,
      phone: null,
    });
    expect(await pending(browser)).toMatchObject([{ channel: 'phone', value: phone }]);
    const code = await smsCode(phone);
    expect((await confirm(browser, 'phone', code)).status).toBe(200);
    expect((await me(browser)).phone).toBe(phone);
  });

  it('5 wrong codes kill the code; a new one goes at most once a minute and 5 an hour to an address', async () => {
    const n = next();
    const fresh = `tries-${n}@example.org`;
    const { browser } = await signedInPatient(app, { email: `tries-old-${n}@example.org` });
    await browser.json('PATCH', '/api/v1/me', { email: fresh });
    const code = await mailCode(fresh);
    for (let i = 0; i < 5; i++) expect((await confirm(browser, 'email', wrongOf(code))).status).toBe(422);
    expect((await confirm(browser, 'email', code)).status).toBe(422);

    const soon = await browser.json('POST', '/api/v1/auth/contact/resend', { channel: 'email' });
    expect(soon.status).toBe(429);
    expect(await errorCode(soon)).toBe('contact_code_wait');
    let moved = 0;
    try {
      for (let sent = 1; sent < 5; sent++) {
        app.clock.advance(61_000);
        moved += 61_000;
        expect((await browser.json('POST', '/api/v1/auth/contact/resend', { channel: 'email' })).status).toBe(
          202,
        );
        await mailCode(fresh, sent);
      }
      app.clock.advance(61_000);
      moved += 61_000;
      const sixth = await browser.json('POST', '/api/v1/auth/contact/resend', { channel: 'email' });
      expect(sixth.status).toBe(429);
      const latest = await mailCode(fresh, 4);
      expect((await confirm(browser, 'email', latest)).status).toBe(200);
      expect((await me(browser)).email).toBe(fresh);
    } finally {
      app.clock.advance(-moved);
    }
  });

  it('keeps only the code’s hash, and audits the change without the code', async () => {
    const n = next();
    const fresh = `hashed-${n}@example.org`;
    const { patient, browser } = await signedInPatient(app, { email: `hashed-old-${n}@example.org` });
    await browser.json('PATCH', '/api/v1/me', { email: fresh });
    const code = await mailCode(fresh);
    const { patientContactChanges: changes, auditLog } = app.db.reader.t;
    const [row] = await app.db.reader.db.select().from(changes);
    expect(JSON.stringify(await app.db.reader.db.select().from(changes))).not.toContain(code);
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    await confirm(browser, 'email', wrongOf(code));
    await confirm(browser, 'email', code);
    const audit = (await app.db.reader.db.select().from(auditLog)).filter((r) => r.patientId === patient.id);
    expect(audit.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'patient.contact-change',
        'patient.contact-verify-failed',
        'patient.contact-verified',
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain(code);
    expect(JSON.stringify(app.logs)).not.toContain(code);
  });

  it('a change within the fresh sign-in window only; staff-entered contacts are used at once', async () => {
    const n = next();
    const { browser } = await signedInPatient(app, { email: `late-${n}@example.org` });
    app.clock.advance(16 * 60_000);
    try {
      const late = await browser.json('PATCH', '/api/v1/me', { email: `late-new-${n}@example.org` });
      expect(late.status).toBe(403);
      expect(await pending(browser)).toEqual([]);
    } finally {
      app.clock.advance(-16 * 60_000);
    }
    const desk = await signedInStaff(app, 'reception');
    const created = await desk.browser.json('POST', '/api/v1/patients', {
      firstName: 'Sam',
      lastName: `Staff${n}`,
      dateOfBirth: '1980-02-02',
      email: `staff-typed-${n}@example.org`,
      phone: '+33 6 99 88 77 66',
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { patient: { email: string; phone: string } }).patient).toMatchObject({
      email: `staff-typed-${n}@example.org`,
      // Kept in E.164 (issue 15, item 13), in use at once.
      phone: '+33699887766',
    });
  });
});
