import type { App } from '../app.ts';
import type { StaffAccount, StaffRole } from '../domain/accounts/index.ts';
import { systemActor } from '../domain/audit/index.ts';
import type { Patient } from '../domain/patients/index.ts';
import { type TestBrowser, testBrowser } from './browser.ts';
import { patientBrowser } from './patient-browser.ts';

/** The password every factory-made staff member has. */
export const STAFF_PASSWORD = 'purple tractor sings softly';

let made = 0;

/**
 * A staff member of `role`, made through the real accounts service, and a test browser signed in
 * as them through the sign-in form. The app must not require a second factor
 * (`createTestApp({ config: { staffMfa: 'optional' } })`); the sign-in is checked, so a test
 * never goes on with a browser that is not signed in.
 */
export async function signedInStaff(
  app: App,
  role: StaffRole,
  options: { email?: string; name?: string; password?: string } = {},
): Promise<{ account: StaffAccount; browser: TestBrowser; password: string }> {
  made += 1;
  const password = options.password ?? STAFF_PASSWORD;
  const account = await app.deps.staff.accounts.create(systemActor, {
    email: options.email ?? `${role}-${made}@clinic.example`,
    name: options.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${made}`,
    role,
    password,
  });
  const browser = testBrowser(app.http);
  const res = await browser.signIn(account.email, password);
  if (res.status !== 303 || res.headers.get('location') !== '/staff') {
    throw new Error(
      `signedInStaff: signing in as ${account.email} answered ${res.status} → ${res.headers.get('location')} ` +
        '(does the app require a second factor? use staffMfa: optional)',
    );
  }
  return { account, browser, password };
}

/**
 * A patient on record, made through the real patients service, and a test browser signed in as
 * them in the patient app (the session a code sign-in ends with).
 */
export async function signedInPatient(
  app: App,
  details: { firstName?: string; lastName?: string; dateOfBirth?: string; email?: string } = {},
): Promise<{ patient: Patient; browser: TestBrowser }> {
  made += 1;
  const patient = await app.deps.patients.create(systemActor, {
    firstName: details.firstName ?? 'Maya',
    lastName: details.lastName ?? `Patient${made}`,
    dateOfBirth: details.dateOfBirth ?? '1990-05-17',
    email: details.email ?? `patient-${made}@example.org`,
  });
  return { patient, browser: await patientBrowser(app, patient.id) };
}
