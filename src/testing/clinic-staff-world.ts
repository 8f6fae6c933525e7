import type { Config } from '../config/index.ts';
import { createTestApp, type TestApp } from './app.ts';
import type { TestBrowser } from './browser.ts';
import type { TestDialect } from './db.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';
import { signedInClinicStaff } from './signed-in.ts';

export interface ClinicStaffWorld {
  app: TestApp;
  /** seedClinic's clinic, with no patients: a test makes the ones it needs. */
  clinic: ClinicFixture;
  /** Practitioner 1, practitioner 2, the admin and the front desk, each signed in. */
  doctor: TestBrowser;
  colleague: TestBrowser;
  admin: TestBrowser;
  desk: TestBrowser;
}

/**
 * A test app on `dialect` (the suite's by default) where staff sign in without a second factor
 * (and `config`), seedClinic's clinic without patients, and its four staff signed in: for tests of
 * what each member of a clinic may do with the records the test makes.
 */
export async function clinicStaffWorld(
  dialect?: TestDialect,
  config: Partial<Config> = {},
): Promise<ClinicStaffWorld> {
  const app = await createTestApp({ dialect, config: { staffMfa: 'optional', ...config } });
  const clinic = await seedClinic(app, { patients: 0 });
  return { app, clinic, ...(await signedInClinicStaff(app)) };
}
