import { eq } from 'drizzle-orm';
import type { App } from '../app.ts';
import { systemActor } from '../domain/audit/index.ts';
import { type TestBrowser, testBrowser } from './browser.ts';

/**
 * Starts a session for a patient on record, the one a code sign-in ends with (the code exchange
 * itself is tested in http/api/patient-auth.test.ts); returns its token, the session cookie's value.
 */
export async function startPatientSession(app: App, patientId: string): Promise<string> {
  const { patients } = app.deps.db.reader.t;
  const [patient] = await app.deps.db.reader.db.select().from(patients).where(eq(patients.id, patientId));
  if (!patient) throw new Error(`no patient ${patientId}`);
  const signedIn = await app.deps.db.tx((ctx) =>
    app.deps.patientSignIn.startSession(ctx, `email:${patient.email ?? patient.id}`, patient, {
      actor: systemActor,
    }),
  );
  return signedIn.token;
}

/** A test browser signed in as a patient on record (see startPatientSession). */
export async function patientBrowser(app: App, patientId: string): Promise<TestBrowser> {
  const token = await startPatientSession(app, patientId);
  const browser = testBrowser(app.http);
  // The cookie's name depends on whether the app runs with an https base URL.
  browser.cookies.set('cb_patient', token);
  browser.cookies.set('__Host-cb_patient', token);
  return browser;
}

/**
 * Registers the patient signed in to `browser` (a code sign-in to an address not on record yet)
 * through the API, terms accepted; returns the answer.
 */
export const registerPatient = (
  browser: TestBrowser,
  details: { firstName: string; lastName: string; dateOfBirth: string; [field: string]: unknown },
): Promise<Response> => browser.json('POST', '/api/v1/me/registration', { ...details, acceptTerms: true });

/**
 * The patient signed in to `browser` adds a family member they book for, as the app's family
 * screen does; returns the new patient's id (anything but 201 fails the test with the answer).
 */
export async function addDependant(
  browser: TestBrowser,
  details: { firstName: string; lastName: string; dateOfBirth: string },
): Promise<string> {
  const res = await browser.json('POST', '/api/v1/me/dependents', details);
  if (res.status !== 201) throw new Error(`adding ${details.firstName}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { patient: { id: string } }).patient.id;
}
