import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/** The Patients list and the Inbox, over HTTP, for each role. Clock: Monday 2026-03-02 10:00 Paris. */
describe('the Patients list and the Inbox', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  const as = (email: string) => signedInAs(app, email);
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app, { patients: 30, service: { requiresApproval: true } });
  });
  afterAll(() => app.destroy());

  it('lists every patient by name a page at a time, searches, opens the chart; audited as reads', async () => {
    const desk = await as('bo@clinic.example');
    const first = await desk.text(await desk.get('/staff/patients'));
    // Each patient's chart (not "Add a patient", /staff/patients/new).
    const charts = /href="\/staff\/patients\/(?!new")[^"]+"/g;
    expect(first.match(charts)).toHaveLength(25);
    expect(first).toContain('href="/staff/patients?page=2"');
    expect(first).not.toContain('Previous');
    const second = await desk.text(await desk.get('/staff/patients?page=2'));
    expect(second.match(charts)).toHaveLength(5);
    expect(second).toContain('href="/staff/patients?page=1"');
    expect(second).not.toContain('>Next<');

    // Ient1, Ient10…Ient19: eleven; the htmx request gets the results only.
    const found = await desk.text(await desk.get('/staff/patients?q=ient1', { 'hx-request': 'true' }));
    expect(found).not.toContain('<html');
    expect(found.match(/href="\/staff\/patients\/[^"]+"/g)).toHaveLength(11);
    const chart = /href="(\/staff\/patients\/[^"]+)"/.exec(found)![1]!;
    expect((await desk.get(chart)).status).toBe(200);

    const reads = (await app.deps.audit.list({ limit: 20 })).map((r) => [r.action, r.details]);
    expect(reads).toContainEqual(['patient.list', { matches: 25, page: 1 }]);
    expect(reads).toContainEqual(['patient.search', { matches: 11, page: 1 }]);
    expect(JSON.stringify(reads)).not.toContain('ient1'); // never the query text
  });

  it('shows requests to approve, the waiting list and failed messages, each only to who may see them', async () => {
    const [p1, p2] = clinic.practitionerIds as [string, string];
    const patient = (i: number) => ({ actor: { type: 'patient' as const, id: clinic.patientIds[i]! } });
    const requestFor = await app.deps.appointments.book(patient(0), {
      serviceId: clinic.serviceId,
      practitionerId: p1,
      start: '2026-03-04T09:00:00.000Z',
    });
    const requestOther = await app.deps.appointments.book(patient(1), {
      serviceId: clinic.serviceId,
      practitionerId: p2,
      start: '2026-03-04T09:00:00.000Z',
    });
    expect(requestFor.appointment.status).toBe('requested');
    await app.deps.waitlist.join(patient(2).actor, {
      serviceId: clinic.serviceId,
      practitionerId: p2,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    const now = app.clock.now();
    await app.db.tx((ctx) =>
      ctx.db.insert(ctx.t.deliveries).values({
        id: newId(),
        recipient: 'email:patient1@example.org',
        channel: 'email',
        messageType: 'appointment-booked',
        language: 'en',
        status: 'failed',
        attempts: 5,
        lastError: 'SMTP 550 mailbox unavailable',
        patientId: clinic.patientIds[0]!,
        createdAt: now,
        updatedAt: now,
      }),
    );

    const desk = await as('bo@clinic.example');
    const deskInbox = await desk.text(await desk.get('/staff/inbox'));
    expect(deskInbox).toContain(`href="/staff/appointments/${requestFor.appointment.id}"`);
    expect(deskInbox).toContain(`href="/staff/appointments/${requestOther.appointment.id}"`);
    expect(deskInbox).toContain(`href="/staff/patients/${clinic.patientIds[2]}"`);
    expect(deskInbox).toContain('href="/staff/calendar?view=week&amp;date=2026-03-10');
    expect(deskInbox).not.toContain('Messages that failed'); // the delivery log is the admins'

    const p1Browser = await as('p1@clinic.example');
    const own = await p1Browser.text(await p1Browser.get('/staff/inbox'));
    expect(own).toContain(`/staff/appointments/${requestFor.appointment.id}`);
    expect(own).not.toContain(requestOther.appointment.id);
    expect(own).not.toContain(clinic.patientIds[2]!); // waiting for Dr P2 only

    const admin = await as('ada@clinic.example');
    const all = await admin.text(await admin.get('/staff/inbox'));
    expect(all).toContain('Messages that failed (1)');
    expect(all).toContain('SMTP 550 mailbox unavailable');
    expect(all).toContain('href="/staff/admin/messages?status=failed"');

    // Every link in the inbox opens for the one who sees it.
    for (const [browser, page] of [
      [desk, deskInbox],
      [p1Browser, own],
      [admin, all],
    ] as const) {
      const main = page.slice(page.indexOf('<main'));
      for (const [, href] of main.matchAll(/href="([^"#]+)"/g)) {
        let res = await browser.get(href!.replaceAll('&amp;', '&'));
        // An appointment's link first names its day (303 to ?view=day&date=…), then opens.
        if (res.status === 303) res = await browser.get(res.headers.get('location')!);
        expect({ href, status: res.status }).toEqual({ href, status: 200 });
      }
    }
  });
});
