import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { type TestBrowser, testBrowser } from '../../src/testing/browser.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import { jobsDone } from '../../src/testing/jobs.ts';
import { addDependant, patientBrowser } from '../../src/testing/patient-browser.ts';
import { addPatientLogin, patientOnRecord, signedInAs } from '../../src/testing/signed-in.ts';
import { until } from '../../src/testing/wait.ts';

/*
 * Issue 14, item 3: staff could attach any address as a login to any patient (accepted with the
 * date of birth alone) and the patient was not told; "sign out everywhere" signed out one
 * address; guardian links never ended. Replayed over HTTP against an app whose worker sends
 * email to a real SMTP sink and SMS to a gateway stand-in. Clock: Monday 2026-03-02 09:00Z.
 */
const WEDNESDAY_0900_PARIS = '2026-03-04T08:00:00.000Z';

interface Access {
  logins: { address: string; current: boolean }[];
  guardians: { id: string; endsAt: string | null }[];
  dependents: { id: string; endsAt: string | null }[];
}

describe('who can get into a patient’s record, seen and revoked', () => {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let desk: TestBrowser;
  let made = 0;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { staffMfa: 'optional', patientCodeIpLimit: 1000 } });
    clinic = await seedClinic(app);
    desk = await signedInAs(app, 'bo@clinic.example');
  });
  afterAll(() => app.destroy());

  /** A patient on record with an email, a phone and a login for the email, signed in with it. */
  const maya = async () => {
    made += 1;
    const email = `maya${made}@example.org`;
    const phone = `+336123456${String(made).padStart(2, '0')}`;
    const patient = await patientOnRecord(app, {
      firstName: 'Maya',
      email,
      phone,
      dateOfBirth: '1985-05-05',
    });
    await addPatientLogin(app, patient.id, `email:${email}`);
    return { patient, email, phone, browser: await patientBrowser(app, patient.id) };
  };
  /** The staff invitation attack: the desk attaches `email` to the patient; whoever reads it accepts. */
  const attachByInvite = async (patientId: string, email: string, dateOfBirth = '1985-05-05') => {
    expect((await desk.json('POST', `/api/v1/patients/${patientId}/invite`, { email })).status).toBe(202);
    const mail = await until('the invitation', async () =>
      app.mailsTo(email).find((m) => /#\/invite\?token=/.test(m.text ?? '')),
    );
    const token = /#\/invite\?token=([\w-]{43})/.exec(mail.text ?? '')![1]!;
    const intruder = testBrowser(app.http);
    expect((await intruder.json('POST', '/api/v1/auth/invite', { token, dateOfBirth })).status).toBe(200);
    return { intruder, token };
  };
  const access = async (browser: TestBrowser): Promise<Access> => {
    const res = await browser.get('/api/v1/me/access');
    expect(res.status).toBe(200);
    return (await res.json()) as Access;
  };
  const auditActions = async (patientId: string) =>
    (await app.deps.audit.list({ limit: 500 })).filter((r) => r.patientId === patientId).map((r) => r.action);
  /** The chart's "who can get in" section. */
  const accessSection = (page: string) =>
    /<section aria-labelledby="access">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
  const signedIn = async (browser: TestBrowser) => (await browser.get('/api/v1/me')).status === 200;

  it('tells the patient’s addresses (record email and phone, other logins) when a login is added, in their language, with no secret', async () => {
    const { patient, email, phone, browser } = await maya();
    expect((await browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' })).status).toBe(200);
    await addPatientLogin(app, patient.id, 'email:maya.old@example.org');
    const { token } = await attachByInvite(patient.id, 'mallory@evil.example');
    await jobsDone(app);

    const notice = await until('the notice to the record’s email', async () =>
      app.mailsTo(email).find((m) => /connexion/i.test(m.subject ?? '')),
    );
    // The new address, partly hidden: enough to recognise, not to read off a lock screen.
    expect(notice.text).toContain('m…y@evil.example');
    expect(notice.text).not.toContain(token);
    expect(notice.text).not.toMatch(/\b\d{6}\b|token=|link=/);
    expect(app.mailsTo('maya.old@example.org').filter((m) => m.subject === notice.subject)).toHaveLength(1);
    const sms = await until('the notice by SMS', async () =>
      app.smsTo(phone).find((r) => /connexion/i.test(JSON.parse(r.body).text)),
    );
    expect(JSON.parse(sms.body).text).not.toContain(token);
    // Not to the address just added (whoever holds it knows).
    expect(app.mailsTo('mallory@evil.example').filter((m) => m.subject === notice.subject)).toHaveLength(0);
    expect(await auditActions(patient.id)).toContain('patient.add-login');
  });

  it('lists the logins under /api/v1/me/access; the patient revokes another one (signed out there) but not the one in use', async () => {
    const { patient, email, browser } = await maya();
    const { intruder } = await attachByInvite(patient.id, `intruder${made}@evil.example`);
    expect(await signedIn(intruder)).toBe(true);

    const before = await access(browser);
    expect(before.logins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: `email:${email}`, current: true }),
        expect.objectContaining({ address: `email:intruder${made}@evil.example`, current: false }),
      ]),
    );
    const own = await browser.json(
      'DELETE',
      `/api/v1/me/access/logins/${encodeURIComponent(`email:${email}`)}`,
    );
    expect(own.status).toBe(409);
    expect(((await own.json()) as { error: { code: string } }).error.code).toBe('login_in_use');

    const gone = await browser.json(
      'DELETE',
      `/api/v1/me/access/logins/${encodeURIComponent(`email:intruder${made}@evil.example`)}`,
    );
    expect(gone.status).toBe(204);
    expect(await signedIn(intruder)).toBe(false);
    expect((await access(browser)).logins.map((l) => l.address)).toEqual([`email:${email}`]);
    // Another patient's login cannot be named.
    const other = await maya();
    const foreign = await browser.json(
      'DELETE',
      `/api/v1/me/access/logins/${encodeURIComponent(`email:${other.email}`)}`,
    );
    expect(foreign.status).toBe(404);
    expect(await signedIn(other.browser)).toBe(true);
    expect(await auditActions(patient.id)).toEqual(
      expect.arrayContaining(['patient.read-access', 'patient.revoke-login']),
    );
  });

  it('signs out every session of the patient, on each of their addresses, with sign out everywhere', async () => {
    const { patient, phone, browser } = await maya();
    const e164 = phone;
    await addPatientLogin(app, patient.id, `phone:${e164}`);
    const onPhone = testBrowser(app.http);
    const seen = app.smsTo(e164).length;
    expect((await onPhone.json('POST', '/api/v1/auth/start', { phone: e164 })).status).toBe(202);
    const sms = await until('the code by SMS', async () => app.smsTo(e164)[seen]);
    const code = /\b(\d{6})\b/.exec(JSON.parse(sms.body).text)![1]!;
    expect((await onPhone.json('POST', '/api/v1/auth/verify', { phone: e164, code })).status).toBe(200);
    expect(await signedIn(onPhone)).toBe(true);

    expect((await browser.json('POST', '/api/v1/auth/sign-out-everywhere')).status).toBe(204);
    expect(await signedIn(browser)).toBe(false);
    expect(await signedIn(onPhone)).toBe(false);
    const row = (await app.deps.audit.list({ limit: 500 })).find(
      (r) => r.action === 'patient.sign-out-everywhere' && r.patientId === patient.id,
    );
    expect(row).toMatchObject({ actorType: 'patient', actorId: patient.id, requestId: expect.any(String) });
  });

  it('shows staff the logins, guardians and dependants on the chart, where they revoke a login or end a link', async () => {
    const { patient, browser } = await maya();
    const intruderEmail = `chart${made}@evil.example`;
    const { intruder } = await attachByInvite(patient.id, intruderEmail);
    const leo = await addDependant(browser, {
      firstName: 'Leo',
      lastName: 'Tester',
      dateOfBirth: '2016-02-02',
    });

    const chart = accessSection(await desk.text(await desk.get(`/staff/patients/${patient.id}`)));
    expect(chart).toContain(intruderEmail);
    expect(chart).toContain('Leo Tester');
    const removed = await desk.post(`/staff/patients/${patient.id}/logins/remove`, {
      address: `email:${intruderEmail}`,
    });
    expect(removed.status).toBe(303);
    expect(await signedIn(intruder)).toBe(false);
    // Gone from the chart's access section (the invitation stays in its message log).
    expect(accessSection(await desk.text(await desk.get(`/staff/patients/${patient.id}`)))).not.toContain(
      intruderEmail,
    );

    // On the dependant's chart, the guardian; staff set the link to end next week.
    const leoChart = accessSection(await desk.text(await desk.get(`/staff/patients/${leo}`)));
    expect(leoChart).toContain('Maya');
    const ending = await desk.post(`/staff/patients/${leo}/family/end`, {
      guardianId: patient.id,
      dependentId: leo,
      endsOn: '2026-03-09',
    });
    expect(ending.status).toBe(303);
    expect((await access(browser)).dependents.map((d) => d.id)).toEqual([leo]);
    try {
      app.clock.set('2026-03-09T12:00:00Z');
      expect((await access(browser)).dependents).toEqual([]);
      const family = (await (await browser.get('/api/v1/me/dependents')).json()) as { dependents: unknown[] };
      expect(family.dependents).toEqual([]);
    } finally {
      app.clock.set('2026-03-02T09:00:00Z');
    }
    // Ended now by staff from the guardian's chart.
    const mia = await addDependant(browser, {
      firstName: 'Mia',
      lastName: 'Tester',
      dateOfBirth: '2018-03-03',
    });
    await desk.text(await desk.get(`/staff/patients/${patient.id}`));
    await desk.post(`/staff/patients/${patient.id}/family/end`, { guardianId: patient.id, dependentId: mia });
    expect((await access(browser)).dependents.map((d) => d.id)).not.toContain(mia);
    const actions = await auditActions(patient.id);
    expect(actions).toEqual(expect.arrayContaining(['patient.revoke-login', 'patient.end-guardian-link']));
  });

  it('gives an ended guardian link no access: ended by the guardian, or by an adult dependant, not by a child', async () => {
    const { patient, email, browser } = await maya();
    const addDependent = (firstName: string, dateOfBirth: string) =>
      addDependant(browser, { firstName, lastName: 'Tester', dateOfBirth });
    const leo = await addDependent('Leo', '2016-02-02');
    /** Books Wednesday 09:00 Paris with practitioner `n` for Leo, as his guardian. */
    const bookForLeo = (n: number) =>
      browser.json('POST', '/api/v1/appointments', {
        serviceId: clinic.serviceId,
        practitionerId: clinic.practitionerIds[n],
        start: WEDNESDAY_0900_PARIS,
        patientId: leo,
      });
    const booked = await bookForLeo(0);
    expect(booked.status).toBe(201);
    const appointmentId = ((await booked.json()) as { appointment: { id: string } }).appointment.id;

    expect((await browser.json('DELETE', `/api/v1/me/access/dependents/${leo}`)).status).toBe(204);
    const family = (await (await browser.get('/api/v1/me/dependents')).json()) as { dependents: unknown[] };
    expect(family.dependents).toEqual([]);
    expect((await browser.get(`/api/v1/appointments/${appointmentId}`)).status).toBe(404);
    const mine = (await (await browser.get('/api/v1/me/appointments')).json()) as { appointments: unknown[] };
    expect(mine.appointments).toEqual([]);
    expect((await browser.json('POST', `/api/v1/appointments/${appointmentId}/cancel`, {})).status).toBe(404);
    expect((await bookForLeo(1)).status).toBe(404);
    const waitlist = await browser.json('POST', '/api/v1/waitlist', {
      serviceId: clinic.serviceId,
      patientId: leo,
      from: '2026-03-04',
      to: '2026-03-06',
    });
    expect(waitlist.status).toBe(404);
    // The dependant's messages no longer reach the former guardian.
    await jobsDone(app);
    const mailsBefore = app.mailsTo(email).length;
    await bookAppointment(app, clinic, leo, '2026-03-05T08:00:00.000Z');
    await jobsDone(app);
    expect(app.mailsTo(email)).toHaveLength(mailsBefore);

    // An adult dependant who signs in sees the guardian and ends the link; a child may not.
    const grandpa = await addDependent('Grandpa', '1940-01-01');
    const grandpaBrowser = await patientBrowser(app, grandpa);
    expect((await access(grandpaBrowser)).guardians.map((g) => g.id)).toEqual([patient.id]);
    expect((await grandpaBrowser.json('DELETE', `/api/v1/me/access/guardians/${patient.id}`)).status).toBe(
      204,
    );
    expect((await access(browser)).dependents.map((d) => d.id)).not.toContain(grandpa);

    const mia = await addDependent('Mia', '2015-04-04');
    const child = await patientBrowser(app, mia);
    const refused = await child.json('DELETE', `/api/v1/me/access/guardians/${patient.id}`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'guardian_end_adults_only',
    );
    expect((await access(browser)).dependents.map((d) => d.id)).toEqual([mia]);
    expect(await auditActions(patient.id)).toContain('patient.end-guardian-link');
  });
});
