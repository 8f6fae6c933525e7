import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { type AppWithSinks, codeSignIn, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import { registerPatient } from '../../testing/patient-browser.ts';
import { patientOnRecord, signedInAs } from '../../testing/signed-in.ts';

/**
 * Issue 15, item 11: a patient on file who signs in with the email on their record opens that
 * record with their date of birth (5 wrong dates close the way) instead of making a second one;
 * a record registration flags as a possible duplicate is listed in the staff Inbox.
 */
describe.each(bothDialects)('a patient on file signing in for the first time, on %s', (dialect) => {
  let app: AppWithSinks;
  // A clinic of its own for each test, so that a retry starts clean: the records on file share
  // their addresses between tests, and a second Grace would make hers an address on two records.
  beforeEach(async () => {
    app = await createAppWithSinks({ dialect, config: { patientCodeIpLimit: 1000, staffMfa: 'optional' } });
    await seedClinic(app, { patients: 0 });
  });
  afterEach(() => app.destroy());

  const signIn = (email: string) => codeSignIn(app, email);
  const recordOnFile = async (b: TestBrowser) =>
    ((await (await b.get('/api/v1/auth/record')).json()) as { recordOnFile: boolean }).recordOnFile;
  const link = (b: TestBrowser, dateOfBirth: string) =>
    b.json('POST', '/api/v1/auth/record', { dateOfBirth });
  /** A patient on file, with the email of their first name at example.org. */
  const onFile = (firstName: string, lastName: string, dateOfBirth: string) =>
    patientOnRecord(app, {
      firstName,
      lastName,
      dateOfBirth,
      email: `${firstName.toLowerCase()}@example.org`,
    });

  it('opens the record on file with the date of birth on it: no second record, the address signs in to it', async () => {
    const grace = await onFile('Grace', 'Ahmed', '1984-02-29');
    const { browser, body } = await signIn('Grace@Example.org');
    expect(body).toEqual({ patient: null, registrationRequired: true });
    expect(await recordOnFile(browser)).toBe(true);

    const wrong = await link(browser, '1984-03-01');
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as any).error.issues[0]).toMatchObject({
      path: 'dateOfBirth',
      code: 'date_of_birth_not_on_record',
      message: 'That is not the date of birth on your record. Tries left: 4.',
    });
    const right = await link(browser, '1984-02-29');
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ patient: { id: grace.id }, registrationRequired: false });
    expect(((await (await browser.get('/api/v1/me')).json()) as any).patient.id).toBe(grace.id);
    expect((await browser.get('/api/v1/me/appointments')).status).toBe(200);
    // Once linked, there is nothing more to open, and registering is refused.
    expect(await recordOnFile(browser)).toBe(false);
    expect(
      (await registerPatient(browser, { firstName: 'G', lastName: 'A', dateOfBirth: '1984-02-29' })).status,
    ).toBe(409);

    // Signed in again elsewhere, the address goes straight to Grace's record.
    const again = await signIn('grace@example.org');
    expect(again.body).toMatchObject({ patient: { id: grace.id }, registrationRequired: false });
    const names = await app.deps.patients.search(systemActor, 'grace ahmed');
    expect(names.map((p) => p.id)).toEqual([grace.id]);
  });

  it('5 wrong dates of birth close the way for good; registering is still possible and is flagged for staff', async () => {
    const omar = await onFile('Omar', 'Haddad', '1979-11-02');
    const { browser } = await signIn('omar@example.org');
    for (let left = 4; left >= 1; left--) {
      const r = await link(browser, '1979-11-03');
      expect(((await r.json()) as any).error.issues[0]).toMatchObject({
        code: 'date_of_birth_not_on_record',
        message: expect.stringContaining(`Tries left: ${left}.`),
      });
    }
    const last = await link(browser, '1979-11-03');
    expect(((await last.json()) as any).error.issues[0].code).toBe('record_link_closed');
    // Even the right date no longer opens it, in this session or a new one.
    expect((await link(browser, '1979-11-02')).status).toBe(404);
    const fresh = await signIn('omar@example.org');
    expect(await recordOnFile(fresh.browser)).toBe(false);
    expect((await link(fresh.browser, '1979-11-02')).status).toBe(404);

    // Registering makes a new record, flagged as maybe Omar's, which the Inbox lists.
    const made = await registerPatient(fresh.browser, {
      firstName: 'Omar',
      lastName: 'Haddad',
      dateOfBirth: '1979-11-02',
    });
    expect(made.status).toBe(201);
    const newId = ((await made.json()) as { patient: { id: string } }).patient.id;
    const desk = await signedInAs(app, 'bo@clinic.example');
    const inbox = await desk.text(await desk.get('/staff/inbox'));
    expect(inbox).toContain('Possible duplicate records (1)');
    expect(inbox).toContain(`href="/staff/patients/${newId}"`);
    expect(inbox).toContain(`href="/staff/patients/${omar.id}"`);
    // Staff say it is not the same person: the Inbox no longer lists it.
    const cleared = await desk.post(`/staff/patients/${newId}/not-duplicate`, {});
    expect(cleared.status).toBe(303);
    expect(await desk.text(await desk.get('/staff/inbox'))).toContain('Possible duplicate records (0)');
  });

  it('wrong dates sent at once are each counted: the right one after them is refused', async () => {
    await onFile('Ida', 'Berg', '1966-06-06');
    const { browser } = await signIn('ida@example.org');
    const answers = await Promise.all(Array.from({ length: 8 }, () => link(browser, '1966-06-07')));
    expect(answers.filter((a) => a.status === 422).length).toBeGreaterThanOrEqual(5);
    expect(answers.every((a) => a.status === 422 || a.status === 404)).toBe(true);
    expect((await link(browser, '1966-06-06')).status).toBe(404);
  });

  it('an address on two records (a family sharing one email) is not offered a record', async () => {
    await patientOnRecord(app, { firstName: 'Leo', lastName: 'Park', email: 'parks@example.org' });
    await patientOnRecord(app, { firstName: 'Mia', lastName: 'Park', email: 'parks@example.org' });
    const { browser } = await signIn('parks@example.org');
    expect(await recordOnFile(browser)).toBe(false);
    expect((await link(browser, '1990-05-17')).status).toBe(404);
    const stranger = await signIn('nobody@example.org');
    expect(await recordOnFile(stranger.browser)).toBe(false);
  });
});
