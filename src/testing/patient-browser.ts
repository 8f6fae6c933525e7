import { eq } from 'drizzle-orm';
import type { App } from '../app.ts';
import { systemActor } from '../domain/audit/index.ts';
import { type TestBrowser, testBrowser } from './browser.ts';

/**
 * A test browser signed in as a patient on record, through the same session start a code
 * sign-in ends with (the code exchange itself is tested in http/api/patient-auth.test.ts).
 */
export async function patientBrowser(app: App, patientId: string): Promise<TestBrowser> {
  const { patients } = app.deps.db.reader.t;
  const [patient] = await app.deps.db.reader.db.select().from(patients).where(eq(patients.id, patientId));
  if (!patient) throw new Error(`no patient ${patientId}`);
  const signedIn = await app.deps.db.tx((ctx) =>
    app.deps.patientSignIn.startSession(ctx, `email:${patient.email ?? patient.id}`, patient, {
      actor: systemActor,
    }),
  );
  const browser = testBrowser(app.http);
  // The cookie's name depends on whether the app runs with an https base URL.
  browser.cookies.set('cb_patient', signedIn.token);
  browser.cookies.set('__Host-cb_patient', signedIn.token);
  return browser;
}
