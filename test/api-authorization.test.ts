import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import type { TestBrowser } from '../src/testing/browser.ts';
import { postFile, samplePdf, samplePng } from '../src/testing/documents.ts';
import { type ClinicFixture, seedClinic } from '../src/testing/factories.ts';
import { addDependant } from '../src/testing/patient-browser.ts';
import { signedInPatient } from '../src/testing/signed-in.ts';

/**
 * Generated from the route table: every `/api/v1` route is called by patient A (a guardian of D)
 * aiming at patient B — B's ids in the path and in every body field that can carry one — and
 * with fields a patient must not set. Nothing of B's may come back and nothing of B's may change.
 * Then A's family view holds A and D only.
 */
describe('the patient API keeps patients apart', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let a: TestBrowser;
  let b: TestBrowser;
  let ids: {
    a: string;
    d: string;
    b: string;
    bAppointment: string;
    bWaitlist: string;
    aAppointment: string;
    dAppointment: string;
    bDocument: string;
    bUpload: string;
  };

  const patientBrowser = async (email: string, firstName: string) => {
    const { patient, browser } = await signedInPatient(app, {
      email,
      firstName,
      lastName: 'Tester',
      dateOfBirth: '1985-05-05',
    });
    return { browser, id: patient.id };
  };
  const book = async (who: TestBrowser, start: string, patientId?: string) => {
    const res = await who.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0],
      start,
      ...(patientId ? { patientId } : {}),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { appointment: { id: string } }).appointment.id;
  };
  const snapshot = async () => {
    const t = app.db.reader.t;
    const [appointments, waitlist, patients, documents] = await Promise.all([
      app.db.reader.db.select().from(t.appointments),
      app.db.reader.db.select().from(t.waitlistEntries),
      app.db.reader.db.select().from(t.patients),
      app.db.reader.db.select().from(t.documents),
    ]);
    return JSON.stringify({
      appointments: appointments.filter((x) => x.patientId === ids.b),
      waitlist: waitlist.filter((x) => x.patientId === ids.b),
      patient: patients.filter((x) => x.id === ids.b),
      documents: documents.filter((x) => x.patientId === ids.b),
    });
  };

  beforeAll(async () => {
    app = await createTestApp();
    clinic = await seedClinic(app);
    const pa = await patientBrowser('a@example.org', 'Alice');
    const pb = await patientBrowser('b@example.org', 'Bob');
    a = pa.browser;
    b = pb.browser;
    const d = await addDependant(a, { firstName: 'Dora', lastName: 'Tester', dateOfBirth: '2018-02-02' });
    const aAppointment = await book(a, '2026-03-10T08:00:00.000Z');
    const dAppointment = await book(a, '2026-03-10T09:00:00.000Z', d);
    const bAppointment = await book(b, '2026-03-10T10:00:00.000Z');
    const joined = await b.json('POST', '/api/v1/waitlist', {
      serviceId: clinic.serviceId,
      from: '2026-03-11',
      to: '2026-03-20',
    });
    expect(joined.status).toBe(201);
    const bWaitlist = ((await joined.json()) as { entry: { id: string } }).entry.id;
    // B's documents: one the clinic shared with B, one B sent.
    const shared = await app.deps.documents.upload(systemActor, pb.id, {
      file: Readable.from([samplePdf('for B only')]),
      fileName: 'b.pdf',
      fields: { category: 'lab-result', sharedWithPatient: 'true' },
    });
    const sent = await postFile(app, b, '/api/v1/me/documents', { name: 'b.png', bytes: samplePng() });
    expect(sent.status).toBe(201);
    const bUpload = ((await sent.json()) as { document: { id: string } }).document.id;
    ids = {
      a: pa.id,
      d,
      b: pb.id,
      bAppointment,
      bWaitlist,
      aAppointment,
      dAppointment,
      bDocument: shared.id,
      bUpload,
    };
  });
  afterAll(() => app.destroy());

  it('no /api/v1 route gives patient A anything of patient B, or changes it', async () => {
    const before = await snapshot();
    // Signing out only touches the caller's own sessions; it would end A's session mid-walk.
    const routes = app.http.routes.filter(
      (r) =>
        r.path.startsWith('/api/v1/') && r.method !== 'ALL' && !r.path.startsWith('/api/v1/auth/sign-out'),
    );
    expect(routes.length).toBeGreaterThan(20);
    const hostileBody = {
      patientId: ids.b,
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0],
      start: '2026-03-10T10:00:00.000Z',
      status: 'arrived',
      version: 1,
      by: 'clinic',
      from: '2026-03-11',
      to: '2026-03-12',
      everyWeeks: 1,
      count: 2,
    };
    const leaks: string[] = [];
    for (const route of routes) {
      const idFor = route.path.includes('/documents/')
        ? ids.bDocument
        : route.path.includes('/waitlist/')
          ? ids.bWaitlist
          : route.path.includes('/patients/')
            ? ids.b
            : ids.bAppointment;
      const path = route.path.replace(/:id\b/, idFor);
      const res = route.method === 'GET' ? await a.get(path) : await a.json(route.method, path, hostileBody);
      const text = await res.text();
      if (
        res.status < 400 &&
        [ids.b, ids.bAppointment, ids.bWaitlist, ids.bDocument, ids.bUpload].some((x) => text.includes(x))
      ) {
        leaks.push(`${route.method} ${route.path} → ${res.status}`);
      }
      if (route.path.includes(':id') && res.status < 400)
        leaks.push(`${route.method} ${route.path} answered ${res.status} for B's id`);
    }
    expect(leaks).toEqual([]);
    expect(await snapshot()).toBe(before);
    expect((await a.get('/api/v1/me')).status).toBe(200); // the walk ran signed in throughout
  });

  it('patient A never reads B’s documents, shared or sent by B', async () => {
    for (const id of [ids.bDocument, ids.bUpload]) {
      expect((await a.get(`/api/v1/me/documents/${id}/content`)).status).toBe(404);
      expect((await b.get(`/api/v1/me/documents/${id}/content`)).status).toBe(200);
    }
    const mine = (await (await a.get('/api/v1/me/documents')).json()) as { documents: unknown[] };
    expect(mine.documents).toEqual([]);
  });

  it('a patient may not set fields that are not theirs to set', async () => {
    const res = await a.json('POST', '/api/v1/appointments', {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0],
      start: '2026-03-12T08:00:00.000Z',
      status: 'completed',
    });
    expect(res.status).toBe(422);
    const reg = await a.json('PATCH', '/api/v1/me', { firstName: 'Mallory' });
    expect(reg.status).toBe(422);
  });

  it('the guardian sees and manages their family, and only it', async () => {
    const mine = (await (await a.get('/api/v1/me/appointments')).json()) as {
      appointments: { id: string; patientId: string }[];
    };
    expect(new Set(mine.appointments.map((x) => x.patientId))).toEqual(new Set([ids.a, ids.d]));
    expect((await a.get(`/api/v1/appointments/${ids.dAppointment}`)).status).toBe(200);
    expect((await b.get(`/api/v1/appointments/${ids.dAppointment}`)).status).toBe(404);
    const cancelled = await a.json('POST', `/api/v1/appointments/${ids.dAppointment}/cancel`, {});
    expect(cancelled.status).toBe(200);
    const deps = (await (await a.get('/api/v1/me/dependents')).json()) as { dependents: { id: string }[] };
    expect(deps.dependents.map((x) => x.id)).toEqual([ids.d]);
    expect(
      ((await (await b.get('/api/v1/me/dependents')).json()) as { dependents: unknown[] }).dependents,
    ).toEqual([]);
  });

  it('fuzzed bodies on every route get a 4xx with a code and change nothing', async () => {
    const before = await snapshot();
    const routes = app.http.routes.filter(
      (r) =>
        r.path.startsWith('/api/v1/') &&
        r.method !== 'ALL' &&
        r.method !== 'GET' &&
        !r.path.startsWith('/api/v1/auth/sign-out') &&
        !r.path.endsWith('/options'), // WebAuthn options take no input
    );
    const bodies: unknown[] = [
      null,
      [],
      'x',
      42,
      { start: 'not a date' },
      { serviceId: { $ne: null } },
      { version: -1, status: 'nope' },
    ];
    for (const route of routes) {
      const path = route.path.replace(/:id\b/, ids.aAppointment);
      for (const body of bodies) {
        const res = await b.json(route.method, path, body);
        const text = await res.text();
        expect(
          res.status,
          `${route.method} ${route.path} ${JSON.stringify(body)}: ${text}`,
        ).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
        if (res.status !== 204)
          expect(JSON.parse(text).error.code, `${route.method} ${route.path}`).toMatch(/^[a-z_]+$/);
      }
    }
    expect(await snapshot()).toBe(before);
  });
});
