import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing/app.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { type TestBrowser, testBrowser } from '../../testing/browser.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { registerPatient } from '../../testing/patient-browser.ts';
import { signedInAs } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';

/*
 * Patient sign-in with one-time codes over HTTP, the codes read from a real SMTP server, then the
 * patient's own API. Clock: Monday 2026-03-02 09:00Z (10:00 in Paris).
 */
describe('patient sign-in with a one-time code', () => {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { patientCodeIpLimit: 1000, staffMfa: 'optional' } });
    clinic = await seedClinic(app);
  });
  afterAll(() => app.destroy());

  const mailsTo = (email: string) => app.mailsTo(email);
  /** Waits for the next code email to `email` after `seen` of them, and returns its code. */
  async function nextCode(email: string, seen = mailsTo(email).length): Promise<string> {
    const mail = await until(`code email ${seen + 1} to ${email}`, async () => mailsTo(email)[seen]);
    // In the known patient's language (Noor chooses French below), else the clinic's.
    expect(mail.subject).toMatch(/^Riverside Physio(: your sign-in code| : votre code de connexion)$/);
    return /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
  }
  /** Lets the worker send what was enqueued (jobs are woken at once after commit). */
  const settle = () => jobsDone(app, 'notifications.send-message');
  const signIn = async (browser: TestBrowser, email: string) => {
    const seen = mailsTo(email).length;
    expect((await browser.json('POST', '/api/v1/auth/start', { email })).status).toBe(202);
    const code = await nextCode(email, seen);
    return browser.json('POST', '/api/v1/auth/verify', { email, code });
  };
  /** A patient who signed in with a code to `email` and registered: the browser and the patient's id. */
  const registered = async (email: string, firstName: string) => {
    const browser = testBrowser(app.http);
    expect((await signIn(browser, email)).status).toBe(200);
    const res = await registerPatient(browser, { firstName, lastName: 'Haddad', dateOfBirth: '1991-04-05' });
    expect(res.status).toBe(201);
    return { browser, id: ((await res.json()) as { patient: { id: string } }).patient.id };
  };

  it('registers an unknown address after its code, and then knows it', async () => {
    const phone = testBrowser(app.http);
    const verified = await signIn(phone, 'Noor@Example.org');
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ patient: null, registrationRequired: true });
    expect(
      ((await (await phone.get('/api/v1/me')).json()) as { registrationRequired: boolean })
        .registrationRequired,
    ).toBe(true);
    // Not registered yet: the patient routes say so.
    expect((await phone.get('/api/v1/me/appointments')).status).toBe(403);

    // Without the terms accepted, registering is refused; with them, it makes the record.
    const noor = { firstName: 'Noor', lastName: 'Haddad', dateOfBirth: '1991-04-05' };
    const bad = await phone.json('POST', '/api/v1/me/registration', noor);
    expect(bad.status).toBe(422);
    const res = await registerPatient(phone, noor);
    expect(res.status).toBe(201);
    const { patient } = (await res.json()) as { patient: { id: string; email: string } };
    expect(patient.email).toBe('noor@example.org');
    const me = (await (await phone.get('/api/v1/me')).json()) as { patient: { id: string } };
    expect(me.patient.id).toBe(patient.id);

    // Signed out, the same address signs in straight to that patient.
    expect((await phone.json('POST', '/api/v1/auth/sign-out')).status).toBe(204);
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    const again = await signIn(testBrowser(app.http), 'noor@example.org');
    expect(((await again.json()) as { patient: { id: string } }).patient.id).toBe(patient.id);
  });

  it('a code works once, a new code kills the old one, and 5 wrong tries kill the code', async () => {
    const email = 'once@example.org';
    const b = testBrowser(app.http);
    await b.json('POST', '/api/v1/auth/start', { email });
    const first = await nextCode(email);
    await settle();
    await b.json('POST', '/api/v1/auth/start', { email });
    const second = await nextCode(email, 1);
    await settle();
    if (first !== second)
      expect((await b.json('POST', '/api/v1/auth/verify', { email, code: first })).status).toBe(401);
    expect((await b.json('POST', '/api/v1/auth/verify', { email, code: second })).status).toBe(200);
    expect((await b.json('POST', '/api/v1/auth/verify', { email, code: second })).status).toBe(401);

    await b.json('POST', '/api/v1/auth/start', { email });
    const third = await nextCode(email, 2);
    const wrong = third === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await b.json('POST', '/api/v1/auth/verify', { email, code: wrong });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('code_invalid');
    }
    expect((await b.json('POST', '/api/v1/auth/verify', { email, code: third })).status).toBe(401);
  });

  it('after 10 wrong codes in an hour a requester cannot sign in to that address, even with a fresh right code', async () => {
    const email = 'guesser@example.org';
    const b = testBrowser(app.http);
    // Not the browser that asked: its wrong codes count against its network address.
    const guesser = testBrowser(app.http, { ip: '203.0.113.5' });
    await b.json('POST', '/api/v1/auth/start', { email });
    const code = await nextCode(email, 0);
    await settle();
    for (let i = 0; i < 10; i++) {
      await guesser.json('POST', '/api/v1/auth/verify', {
        email,
        code: code === '111111' ? '222222' : '111111',
      });
    }
    await b.json('POST', '/api/v1/auth/start', { email });
    const fresh = await nextCode(email, 1);
    expect((await guesser.json('POST', '/api/v1/auth/verify', { email, code: fresh })).status).toBe(401);
    app.clock.advance(3_600_000);
    try {
      await settle();
      await b.json('POST', '/api/v1/auth/start', { email });
      const later = await nextCode(email, 2);
      expect((await guesser.json('POST', '/api/v1/auth/verify', { email, code: later })).status).toBe(200);
    } finally {
      app.clock.advance(-3_600_000);
    }
  });

  it('the email link signs in only in the browser that asked for the code', async () => {
    const email = 'linker@example.org';
    const here = testBrowser(app.http);
    const elsewhere = testBrowser(app.http);
    await here.json('POST', '/api/v1/auth/start', { email });
    await nextCode(email);
    const text = mailsTo(email)[0]!.text ?? '';
    const link = /\/app\/#\/sign-in\?email=linker%40example\.org&link=([\w-]{43})/.exec(text)![1]!;
    const stolen = await elsewhere.json('POST', '/api/v1/auth/verify-link', { email, token: link });
    expect(stolen.status).toBe(401);
    const ok = await here.json('POST', '/api/v1/auth/verify-link', { email, token: link });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { registrationRequired: boolean }).registrationRequired).toBe(true);
    // Spent, with the code: neither works again.
    expect((await here.json('POST', '/api/v1/auth/verify-link', { email, token: link })).status).toBe(401);
  });

  it('asks for a fresh sign-in before adding a passkey or changing the phone', async () => {
    const { browser: noor } = await registered('fresh@example.org', 'Noor');
    expect((await noor.json('POST', '/api/v1/me/passkeys/options', {})).status).toBe(200);
    expect((await noor.json('PATCH', '/api/v1/me', { phone: '+33 6 12 34 56 78' })).status).toBe(200);
    const changed = await noor.json('PATCH', '/api/v1/me', { email: 'Noor.Contact@Example.org' });
    // The new address is used once the code sent to it comes back.
    expect(((await changed.json()) as { patient: { email: string } }).patient.email).toBe(
      'fresh@example.org',
    );
    const confirmation = await until('the code to the new address', async () =>
      mailsTo('noor.contact@example.org').find((m) => /confirm your email/.test(m.subject ?? '')),
    );
    const code = /\b(\d{6})\b/.exec(confirmation.text ?? '')![1]!;
    const confirmed = await noor.json('POST', '/api/v1/auth/contact/verify', { channel: 'email', code });
    expect(((await confirmed.json()) as { patient: { email: string } }).patient.email).toBe(
      'noor.contact@example.org',
    );
    app.clock.advance(16 * 60_000);
    try {
      const late = await noor.json('POST', '/api/v1/me/passkeys/options', {});
      expect(late.status).toBe(403);
      expect(((await late.json()) as { error: { code: string } }).error.code).toBe('fresh_sign_in_required');
      expect((await noor.json('PATCH', '/api/v1/me', { phone: '+33 6 00 00 00 00' })).status).toBe(403);
      expect((await noor.json('PATCH', '/api/v1/me', { email: 'noor.new@example.org' })).status).toBe(403);
      expect((await noor.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' })).status).toBe(200);
    } finally {
      app.clock.advance(-16 * 60_000);
    }
  });

  it('a code dies after 10 minutes', async () => {
    const email = 'late@example.org';
    const b = testBrowser(app.http);
    await b.json('POST', '/api/v1/auth/start', { email });
    const code = await nextCode(email);
    app.clock.advance(10 * 60_000 + 1);
    try {
      expect((await b.json('POST', '/api/v1/auth/verify', { email, code })).status).toBe(401);
    } finally {
      app.clock.advance(-(10 * 60_000 + 1));
    }
  });

  it('sends at most 5 codes an hour to one address, answering the same 202 every time', async () => {
    const email = 'many@example.org';
    const b = testBrowser(app.http);
    const bodies = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const r = await b.json('POST', '/api/v1/auth/start', { email });
      expect(r.status).toBe(202);
      bodies.add(await r.text());
      await settle();
    }
    expect(bodies.size).toBe(1);
    expect(mailsTo(email)).toHaveLength(5); // each send was settled above
  });

  it('with self-registration off, an unknown address gets the same answer and no email; a known one still signs in', async () => {
    await registered('known@example.org', 'Kim');
    const clinicSettings = await app.deps.clinic.get();
    await app.deps.clinic.update(
      { type: 'system', id: null },
      { ...clinicSettings, selfRegistration: false },
    );
    try {
      const b = testBrowser(app.http);
      const r = await b.json('POST', '/api/v1/auth/start', { email: 'stranger@example.org' });
      expect(r.status).toBe(202);
      await settle();
      expect(mailsTo('stranger@example.org')).toHaveLength(0);
      expect((await signIn(b, 'known@example.org')).status).toBe(200);
    } finally {
      await app.deps.clinic.update({ type: 'system', id: null }, clinicSettings);
    }
  });

  it('lets the patient book an offered time, list, reschedule and cancel their own — and nobody else’s', async () => {
    const { browser: noor } = await registered('booker@example.org', 'Noor');
    const booked = await noor.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0],
      start: '2026-03-10T08:00:00.000Z',
    });
    expect(booked.status).toBe(201);
    const { appointment } = (await booked.json()) as {
      appointment: { id: string; version: number; patientId: string };
    };
    const mine = (await (await noor.get('/api/v1/me/appointments')).json()) as {
      appointments: { id: string; service: string }[];
    };
    expect(mine.appointments.map((a) => [a.id, a.service])).toEqual([[appointment.id, 'Physiotherapy']]);

    // Someone else's id in the body, or their appointment: not found.
    const forOther = await noor.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0],
      start: '2026-03-10T09:00:00.000Z',
      patientId: clinic.patientIds[0],
    });
    expect(forOther.status).toBe(404);
    const stranger = testBrowser(app.http);
    await signIn(stranger, 'other@example.org');
    await registerPatient(stranger, { firstName: 'Olu', lastName: 'Ade', dateOfBirth: '1970-01-01' });
    expect((await stranger.get(`/api/v1/appointments/${appointment.id}`)).status).toBe(404);
    expect((await stranger.json('POST', `/api/v1/appointments/${appointment.id}/cancel`, {})).status).toBe(
      404,
    );
    // Staff-only routes stay closed to patients.
    expect((await noor.get('/api/v1/patients?q=pat')).status).toBe(401);
    expect(
      (await noor.json('POST', `/api/v1/appointments/${appointment.id}/status`, { status: 'arrived' }))
        .status,
    ).toBe(401);

    const moved = await noor.json('POST', `/api/v1/appointments/${appointment.id}/reschedule`, {
      start: '2026-03-10T08:30:00.000Z',
      version: appointment.version,
    });
    expect(moved.status).toBe(200);
    const offGrid = await noor.json('POST', `/api/v1/appointments/${appointment.id}/reschedule`, {
      start: '2026-03-10T08:40:00.000Z',
    });
    expect(offGrid.status).toBe(422);
    const cancelled = await noor.json('POST', `/api/v1/appointments/${appointment.id}/cancel`, {});
    expect(
      ((await cancelled.json()) as { appointment: { status: string; cancelledBy: string } }).appointment,
    ).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'patient',
    });
  });

  it('staff invite a patient on record; the link works with the right date of birth only', async () => {
    const desk = await signedInAs(app, 'bo@clinic.example');
    const patientId = clinic.patientIds[1]!;
    expect((await desk.json('POST', `/api/v1/patients/${patientId}/invite`, {})).status).toBe(202);
    const email = 'patient2@example.org';
    const mail = await until('the invitation', async () =>
      mailsTo(email).find((m) => /invites you/.test(m.text ?? '')),
    );
    expect(mail.subject).toBe('Riverside Physio: book and manage your appointments online');
    const token = /#\/invite\?token=([\w-]{43})/.exec(mail.text ?? '')![1]!;
    const phone = testBrowser(app.http);
    const wrong = await phone.json('POST', '/api/v1/auth/invite', { token, dateOfBirth: '1999-09-09' });
    expect(wrong.status).toBe(401);
    const right = await phone.json('POST', '/api/v1/auth/invite', { token, dateOfBirth: '1980-01-01' });
    expect(right.status).toBe(200);
    expect(((await right.json()) as { patient: { id: string } }).patient.id).toBe(patientId);
    expect(
      (await phone.json('POST', '/api/v1/auth/invite', { token, dateOfBirth: '1980-01-01' })).status,
    ).toBe(401);
    // From now on the address signs in to that record, and a second invitation is refused.
    const again = await signIn(testBrowser(app.http), email);
    expect(((await again.json()) as { patient: { id: string } }).patient.id).toBe(patientId);
    expect((await desk.json('POST', `/api/v1/patients/${patientId}/invite`, {})).status).toBe(409);
  });

  it('honours the communication consents given at registration, and their change', async () => {
    const email = 'quiet@example.org';
    const b = testBrowser(app.http);
    await signIn(b, email);
    const reg = await registerPatient(b, {
      firstName: 'Quinn',
      lastName: 'Quiet',
      dateOfBirth: '1999-09-09',
      messagesByEmail: false,
    });
    expect(((await reg.json()) as { patient: { messagesByEmail: boolean } }).patient.messagesByEmail).toBe(
      false,
    );
    const booked = await b.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[1],
      start: '2026-03-11T08:00:00.000Z',
    });
    expect(booked.status).toBe(201);
    await jobsDone(app); // the booking's messages, had there been any, sent
    expect(mailsTo(email).filter((m) => !/sign-in code/.test(m.subject ?? ''))).toHaveLength(0);
    // Opting back in applies to the next message.
    await b.json('PATCH', '/api/v1/me', { messagesByEmail: true });
    const { appointment } = (await booked.json()) as { appointment: { id: string } };
    await b.json('POST', `/api/v1/appointments/${appointment.id}/cancel`, {});
    await until('the cancellation email', async () =>
      mailsTo(email).some((m) => /cancelled/.test(m.subject ?? '')),
    );
    await jobsDone(app);
    expect(mailsTo(email).filter((m) => /cancelled/.test(m.subject ?? ''))).toHaveLength(1);
  });

  it('flags a registration that matches an existing record for staff, without merging', async () => {
    const b = testBrowser(app.http);
    await signIn(b, 'pat1.again@example.org');
    const res = await registerPatient(b, { firstName: 'Pat1', lastName: 'Ient1', dateOfBirth: '1980-01-01' });
    const { patient } = (await res.json()) as { patient: { id: string } };
    expect(patient.id).not.toBe(clinic.patientIds[0]);
    const [row] = await app.db.reader.db
      .select()
      .from(app.db.reader.t.patients)
      .where((await import('drizzle-orm')).eq(app.db.reader.t.patients.id, patient.id));
    expect(row!.possibleDuplicateOf).toBe(clinic.patientIds[0]);
  });
});

describe('per network address', () => {
  it('limits code requests (configurable) with 429 and Retry-After', async () => {
    const app = await createTestApp({ config: { patientCodeIpLimit: 3 } });
    try {
      const b = testBrowser(app.http, { ip: '203.0.113.9' });
      for (let i = 0; i < 3; i++)
        expect((await b.json('POST', '/api/v1/auth/start', { email: `a${i}@example.org` })).status).toBe(202);
      const limited = await b.json('POST', '/api/v1/auth/start', { email: 'a9@example.org' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (
          await testBrowser(app.http, { ip: '203.0.113.10' }).json('POST', '/api/v1/auth/start', {
            email: 'b@example.org',
          })
        ).status,
      ).toBe(202);
    } finally {
      await app.destroy();
    }
  });
});
