import { type AppWithSinks, createAppWithSinks } from './app-with-sinks.ts';
import type { TestBrowser } from './browser.ts';
import type { TestDialect } from './db.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';
import { signedInAs, signedInPatient } from './signed-in.ts';

/** A patient signed in to the app: their record's id and their browser. */
export interface SignedInPatient {
  id: string;
  browser: TestBrowser;
}

export interface TwoPatientsWorld {
  app: AppWithSinks;
  clinic: ClinicFixture;
  /** Practitioner p1 and the front desk, signed in. */
  doctor: TestBrowser;
  desk: TestBrowser;
  /** Anna Lund (with an email) and Ben Ortiz, each signed in to the patient app. */
  anna: SignedInPatient;
  ben: SignedInPatient;
}

/**
 * The seeded clinic (with sinks for its messages) at 2026-03-02 09:00 UTC, a practitioner and the
 * front desk signed in, and two patients signed in to the app: for tests of what a patient may
 * reach and staff see of it.
 */
export async function twoPatientsWorld(dialect: TestDialect): Promise<TwoPatientsWorld> {
  const app = await createAppWithSinks({
    dialect,
    now: '2026-03-02T09:00:00.000Z',
    config: { staffMfa: 'optional' },
  });
  const clinic = await seedClinic(app, { patients: 1 });
  const doctor = await signedInAs(app, 'p1@clinic.example');
  const desk = await signedInAs(app, 'bo@clinic.example');
  const a = await signedInPatient(app, { firstName: 'Anna', lastName: 'Lund', email: 'anna@example.org' });
  const b = await signedInPatient(app, { firstName: 'Ben', lastName: 'Ortiz' });
  return {
    app,
    clinic,
    doctor,
    desk,
    anna: { id: a.patient.id, browser: a.browser },
    ben: { id: b.patient.id, browser: b.browser },
  };
}
