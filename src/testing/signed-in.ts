import { eq } from 'drizzle-orm';
import type { App } from '../app.ts';
import type { patients } from '../db/schema/sqlite.ts';
import type { StaffAccount, StaffRole } from '../domain/accounts/index.ts';
import { systemActor } from '../domain/audit/index.ts';
import type { Patient, PatientInput } from '../domain/patients/index.ts';
import { type TestBrowser, type TestBrowserOptions, testBrowser } from './browser.ts';
import { patientBrowser } from './patient-browser.ts';

/** The password every factory-made staff member has (seedClinic's members too). */
export const STAFF_PASSWORD = 'purple tractor sings softly';

let made = 0;

/** Who a factory-made staff member is; each left out gets a value of its own. */
export interface StaffDetails {
  email?: string;
  name?: string;
  password?: string;
}

/** A staff member of `role`, made through the real accounts service, not signed in anywhere. */
export async function staffMember(
  app: App,
  role: StaffRole,
  details: StaffDetails = {},
): Promise<{ account: StaffAccount; password: string }> {
  made += 1;
  const password = details.password ?? STAFF_PASSWORD;
  const account = await app.deps.staff.accounts.create(systemActor, {
    email: details.email ?? `${role}-${made}@clinic.example`,
    name: details.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${made}`,
    role,
    password,
  });
  return { account, password };
}

/** How a factory signs a staff member in: their password (the factories' by default), the browser. */
export interface SignInOptions {
  password?: string;
  browser?: TestBrowserOptions;
}

/**
 * A new test browser that posted the sign-in form as `email`; throws unless the answer is a
 * redirect to `to` (`hint` says what to check when it is not).
 */
export async function postSignIn(
  app: App,
  email: string,
  to: string,
  options: SignInOptions & { hint?: string } = {},
): Promise<TestBrowser> {
  const browser = testBrowser(app.http, options.browser);
  const res = await browser.signIn(email, options.password ?? STAFF_PASSWORD);
  if (res.status !== 303 || res.headers.get('location') !== to) {
    const hint = options.hint ? ` (${options.hint})` : '';
    throw new Error(`signing in as ${email} answered ${res.status} → ${res.headers.get('location')}${hint}`);
  }
  return browser;
}

/**
 * A test browser signed in through the sign-in form as a staff member on record (one of
 * seedClinic's, or one the test made). The sign-in is checked: the app must not ask for a second
 * factor (`staffMfa: 'optional'`, no factor enrolled), so a test never goes on signed out.
 */
export const signedInAs = (app: App, email: string, options: SignInOptions = {}): Promise<TestBrowser> =>
  postSignIn(app, email, '/staff', {
    ...options,
    hint: 'does the app require a second factor? use staffMfa: optional',
  });

/** seedClinic's staff by the part they play in a test. */
const CLINIC_STAFF = {
  doctor: 'p1@clinic.example',
  colleague: 'p2@clinic.example',
  admin: 'ada@clinic.example',
  desk: 'bo@clinic.example',
} as const;

/**
 * Test browsers signed in (see signedInAs) as those of seedClinic's staff named, or all four when
 * none is: the doctor (practitioner 1), a colleague (practitioner 2), the admin, the front desk.
 */
export async function signedInClinicStaff<K extends keyof typeof CLINIC_STAFF = keyof typeof CLINIC_STAFF>(
  app: App,
  ...who: K[]
): Promise<Record<K, TestBrowser>> {
  const browsers = {} as Record<K, TestBrowser>;
  for (const k of who.length ? who : (Object.keys(CLINIC_STAFF) as K[])) {
    browsers[k] = await signedInAs(app, CLINIC_STAFF[k]);
  }
  return browsers;
}

/**
 * A staff member of `role`, made through the real accounts service, and a test browser signed in
 * as them through the sign-in form (see signedInAs: the app must have `staffMfa: 'optional'`).
 */
export async function signedInStaff(
  app: App,
  role: StaffRole,
  options: StaffDetails & { browser?: TestBrowserOptions } = {},
): Promise<{ account: StaffAccount; browser: TestBrowser; password: string }> {
  const { account, password } = await staffMember(app, role, options);
  const browser = await signedInAs(app, account.email, {
    password,
    ...(options.browser ? { browser: options.browser } : {}),
  });
  return { account, browser, password };
}

/**
 * A patient on record, made through the real patients service as staff would; what `details`
 * leaves out gets a value of its own (an email address too: `email: ''` for none).
 */
export async function patientOnRecord(app: App, details: Partial<PatientInput> = {}): Promise<Patient> {
  made += 1;
  return app.deps.patients.create(systemActor, {
    ...details,
    firstName: details.firstName ?? 'Maya',
    lastName: details.lastName ?? `Patient${made}`,
    dateOfBirth: details.dateOfBirth ?? '1990-05-17',
    email: details.email ?? `patient-${made}@example.org`,
  });
}

/**
 * A patient on record (see patientOnRecord) and a test browser signed in as them in the patient
 * app (the session a code sign-in ends with).
 */
export async function signedInPatient(
  app: App,
  details: Partial<PatientInput> = {},
): Promise<{ patient: Patient; browser: TestBrowser }> {
  const patient = await patientOnRecord(app, details);
  return { patient, browser: await patientBrowser(app, patient.id) };
}

/**
 * Records `address` (`email:…` or `phone:…`) as one the patient signs in with, as a code sign-in
 * that ended in registration would: a code sent to it then signs in as this patient.
 */
export async function addPatientLogin(app: App, patientId: string, address: string): Promise<void> {
  await app.deps.db.tx((ctx) =>
    ctx.db.insert(ctx.t.patientLogins).values({ address, patientId, createdAt: app.deps.clock.now() }),
  );
}

/**
 * Writes `columns` straight into the patient's row, past the services (no rules, no audit): the
 * state an older version, another process or a registration left behind.
 */
export async function setPatientColumns(
  app: App,
  patientId: string,
  columns: Partial<typeof patients.$inferInsert>,
): Promise<void> {
  await app.deps.db.tx((ctx) =>
    ctx.db.update(ctx.t.patients).set(columns).where(eq(ctx.t.patients.id, patientId)),
  );
}
