import { beforeEach, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { patientBrowser } from '../../testing/patient-browser.ts';
import { seededPerTest } from '../../testing/seeded-app.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/**
 * Issue 15, item 19: one patient waits once for a service with a practitioner (or anyone) on any
 * one day. An entry overlapping a waiting one of the same patient, service and practitioner is
 * refused with 409 waitlist_duplicate, in the patient's language; other practitioners, other
 * dates and entries left or booked do not count. Two joins at once add one entry.
 */
describe.each(bothDialects)('duplicate waitlist entries over HTTP on %s', (dialect) => {
  const w = seededPerTest({ dialect, config: { staffMfa: 'optional' } });
  let patient: TestBrowser;
  beforeEach(async () => {
    patient = await patientBrowser(w().app, w().clinic.patientIds[0]!);
  });

  const entry = (changes: Record<string, unknown> = {}) => ({
    serviceId: w().clinic.serviceId,
    practitionerId: w().clinic.practitionerIds[0],
    from: '2026-03-03',
    to: '2026-03-10',
    ...changes,
  });
  const join = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    patient.json('POST', '/api/v1/waitlist', body, headers);
  const waiting = async () =>
    ((await (await patient.get('/api/v1/me/waitlist')).json()) as any).entries as { id: string }[];

  it('refuses an overlapping entry for the same service and practitioner, in English and French', async () => {
    expect((await join(entry())).status).toBe(201);
    const again = await join(entry({ from: '2026-03-09', to: '2026-03-20' }));
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error).toEqual({
      code: 'waitlist_duplicate',
      message: 'You are already on the waitlist for this service and practitioner on some of these dates.',
    });
    const inFrench = await join(entry(), { 'Accept-Language': 'fr' });
    expect(inFrench.status).toBe(409);
    expect(((await inFrench.json()) as any).error).toMatchObject({
      code: 'waitlist_duplicate',
      message:
        'Vous êtes déjà sur la liste d’attente pour ce service et ce praticien à certaines de ces dates.',
    });
    expect(await waiting()).toHaveLength(1);
  });

  it('takes other practitioners, anyone, later dates, and the same dates once the entry is left', async () => {
    const first = (await (await join(entry())).json()) as any;
    expect((await join(entry({ practitionerId: w().clinic.practitionerIds[1] }))).status).toBe(201);
    expect((await join(entry({ practitionerId: undefined }))).status).toBe(201);
    expect((await join(entry({ practitionerId: undefined }))).status).toBe(409);
    expect((await join(entry({ from: '2026-03-11', to: '2026-03-12' }))).status).toBe(201);
    expect((await patient.json('DELETE', `/api/v1/waitlist/${first.entry.id}`)).status).toBe(204);
    expect((await join(entry())).status).toBe(201);
    // Waiting: the other practitioner, anyone, the later dates, and the same dates again (the first was left).
    expect(await waiting()).toHaveLength(4);
  });

  it('refuses staff a duplicate for a patient too, and two joins at once add one entry', async () => {
    const desk = await signedInAs(w().app, 'bo@clinic.example');
    const forPatient = entry({ patientId: w().clinic.patientIds[1] });
    const answers = await Promise.all([
      desk.json('POST', '/api/v1/waitlist', forPatient),
      desk.json('POST', '/api/v1/waitlist', forPatient),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const list = ((await (await desk.get('/api/v1/waitlist')).json()) as any).entries;
    expect(list.filter((e: any) => e.patientId === w().clinic.patientIds[1])).toHaveLength(1);
  });
});
