import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { addDependant } from '../../testing/patient-browser.ts';
import { decrypt } from '../../testing/peers/push-service.ts';
import { pushWorld } from '../../testing/push-world.ts';
import { signedInAs, signedInPatient } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';

/*
 * Issue 15, item 16, on the push channel: a child's appointment pushed to the guardian's phone
 * says whose it is ("For Leo" / "Pour Zoé"), the patient's own push names no one. The guardian
 * adds the child and subscribes the phone over HTTP as the PWA does; the receptionist books
 * through the appointments API; a local push service decrypts what arrives.
 */
describe.each(bothDialects)('a dependant’s push to the guardian, on %s', (dialect) => {
  const w = pushWorld(dialect, { staffMfa: 'optional' });
  let desk: TestBrowser;
  let made = 0;
  beforeAll(async () => {
    desk = await signedInAs(w().app, 'bo@clinic.example');
  });

  /** A patient whose phone is subscribed at `/push/<n>`; answers their id, browser and subscription. */
  const withPhone = async (firstName: string, language?: 'fr') => {
    made++;
    const { patient, browser } = await signedInPatient(w().app, { firstName, dateOfBirth: '1984-03-03' });
    if (language) await browser.json('PATCH', '/api/v1/me', { preferredLanguage: language });
    const sub = w().push.subscription(`/push/${made}`);
    expect((await browser.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    return { id: patient.id, browser, sub, path: `/push/${made}` };
  };
  const addChild = (guardian: TestBrowser, firstName: string) =>
    addDependant(guardian, { firstName, lastName: 'Family', dateOfBirth: '2019-09-09' });
  const bookFor = async (patientId: string, start: string) => {
    const res = await desk.json('POST', '/api/v1/appointments', {
      serviceId: w().clinic.serviceId,
      practitionerId: w().clinic.practitionerIds[0],
      start,
      patientId,
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const pushBody = async (phone: Awaited<ReturnType<typeof withPhone>>) => {
    const req = await until('the push', async () => w().push.requests.find((r) => r.path === phone.path));
    return (JSON.parse(decrypt(req.body, phone.sub)) as { body: string }).body;
  };

  it('names the child in the guardian’s push, in English and French; the patient’s own names no one', async () => {
    const anna = await withPhone('Anna');
    await bookFor(await addChild(anna.browser, 'Leo'), '2026-03-09T08:00:00.000Z');
    expect(await pushBody(anna)).toMatch(/^appointment booked for Monday.+\nFor Leo$/);

    const ines = await withPhone('Inès', 'fr');
    await bookFor(await addChild(ines.browser, 'Zoé'), '2026-03-09T08:30:00.000Z');
    expect(await pushBody(ines)).toMatch(/^rendez-vous pris pour le lundi.+\nPour Zoé$/);

    const mia = await withPhone('Mia');
    await bookFor(mia.id, '2026-03-09T09:00:00.000Z');
    const own = await pushBody(mia);
    expect(own).toMatch(/^appointment booked for Monday/);
    expect(own).not.toContain('\n');
  });
});
