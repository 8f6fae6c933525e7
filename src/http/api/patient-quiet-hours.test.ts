import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { type AppWithSinks, codeSignIn, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import { registerPatient } from '../../testing/patient-browser.ts';
import { addPatientLogin, patientOnRecord } from '../../testing/signed-in.ts';

/**
 * A patient's record as the app receives it names the SMS quiet hours in force: the clinic's
 * (here 22:00–07:00, not the default 21:00–08:00) unless the patient chose — in every answer that
 * carries the record, not only GET /me.
 */
/** A patient's record as the app receives it: the part this test reads. */
interface Own {
  id: string;
  notifications: { quietHours: { start: string; end: string } | null };
}

describe.each(bothDialects)('the quiet hours a patient is shown, on %s', (dialect) => {
  const clinicQuiet = { start: '22:00', end: '07:00' };
  let app: AppWithSinks;
  // A clinic of its own for each run, so that a retry starts clean.
  beforeEach(async () => {
    app = await createAppWithSinks({ dialect, config: { patientCodeIpLimit: 1000 } });
    await seedClinic(app, { patients: 0 });
    const clinic = app.deps.clinic;
    await clinic.update(systemActor, { ...(await clinic.get()), smsQuietHours: clinicQuiet });
  });
  afterEach(() => app.destroy());

  const signIn = async (email: string) => {
    const { browser, body } = await codeSignIn(app, email);
    return { browser, body: body as { patient: Own | null } };
  };

  it('in the sign-in answer, the registration answer, GET /me and the family list', async () => {
    const lena = await patientOnRecord(app, { firstName: 'Lena', email: 'lena@example.org' });
    await addPatientLogin(app, lena.id, 'email:lena@example.org');
    const known = await signIn('lena@example.org');
    expect(known.body.patient?.id).toBe(lena.id);
    expect(known.body.patient?.notifications.quietHours).toEqual(clinicQuiet);
    const me = (await (await known.browser.get('/api/v1/me')).json()) as { patient: Own };
    expect(me.patient.notifications.quietHours).toEqual(clinicQuiet);

    const added = await known.browser.json('POST', '/api/v1/me/dependents', {
      firstName: 'Ola',
      lastName: 'Berg',
      dateOfBirth: '2019-04-02',
    });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { patient: Own }).patient.notifications.quietHours).toEqual(clinicQuiet);
    const family = (await (await known.browser.get('/api/v1/me/dependents')).json()) as { dependents: Own[] };
    expect(family.dependents.map((d) => d.notifications.quietHours)).toEqual([clinicQuiet]);

    const fresh = await signIn('noor@example.org');
    expect(fresh.body).toEqual({ patient: null, registrationRequired: true });
    const made = await registerPatient(fresh.browser, {
      firstName: 'Noor',
      lastName: 'Saleh',
      dateOfBirth: '1991-07-08',
    });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { patient: Own }).patient.notifications.quietHours).toEqual(clinicQuiet);
  });
});
