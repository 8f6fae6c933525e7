import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { postFile, samplePdf, samplePng } from '../../testing/documents.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { addDependant } from '../../testing/patient-browser.ts';
import { signedInAs, signedInPatient } from '../../testing/signed-in.ts';

interface DocJson {
  id: string;
  patientId: string;
  source: string;
}

/**
 * The patient app's documents for a family: guardian Alice reads what the clinic shared with her
 * dependant Dora (never what it kept unshared, never another family's), sends documents for Dora,
 * and takes back an upload the clinic has not reviewed yet (never one it shared, nor one it has
 * reviewed). Runs on the suite's dialect.
 */
describe('my documents: a guardian’s family, and taking back an upload', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let doctor: TestBrowser;
  let alice: TestBrowser;
  let bob: TestBrowser;
  let ids: {
    alice: string;
    dora: string;
    bob: string;
    doraShared: string;
    doraKept: string;
    bobShared: string;
  };

  const staffUpload = async (patientId: string, text: string, shared: boolean) =>
    (
      await app.deps.documents.upload({ type: 'staff', id: clinic.practitionerIds[0]! }, patientId, {
        file: Readable.from([samplePdf(text)]),
        fileName: `${text}.pdf`,
        fields: { category: 'letter', sharedWithPatient: String(shared) },
      })
    ).id;
  const listOf = async (who: TestBrowser) => {
    const res = await who.get('/api/v1/me/documents');
    expect(res.status).toBe(200);
    return ((await res.json()) as { documents: DocJson[] }).documents;
  };
  const send = async (who: TestBrowser, fields: Record<string, string> = {}) =>
    postFile(app, who, '/api/v1/me/documents', { name: 'card.png', bytes: samplePng() }, fields);
  const sentId = async (res: Response) => {
    expect(res.status).toBe(201);
    return ((await res.json()) as { document: DocJson }).document.id;
  };
  const rowOf = async (id: string) =>
    (await app.db.reader.db.select().from(app.db.reader.t.documents)).find((d) => d.id === id);
  const toReview = async () =>
    (await app.deps.documents.listToReview({ type: 'staff', id: clinic.adminId })).map((d) => d.id);

  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app, { patients: 0 });
    doctor = await signedInAs(app, 'p1@clinic.example');
    const a = await signedInPatient(app, { firstName: 'Alice', email: 'alice@example.org' });
    const b = await signedInPatient(app, { firstName: 'Bob', email: 'bob@example.org' });
    alice = a.browser;
    bob = b.browser;
    const dora = await addDependant(alice, {
      firstName: 'Dora',
      lastName: 'Family',
      dateOfBirth: '2018-02-02',
    });
    ids = {
      alice: a.patient.id,
      dora,
      bob: b.patient.id,
      doraShared: await staffUpload(dora, 'dora-shared', true),
      doraKept: await staffUpload(dora, 'dora-kept', false),
      bobShared: await staffUpload(b.patient.id, 'bob-shared', true),
    };
  });
  afterAll(() => app.destroy());

  it('the guardian reads the documents shared with a dependant, not unshared ones, not another family’s', async () => {
    const list = await listOf(alice);
    expect(list.map((d) => d.id)).toEqual([ids.doraShared]);
    expect(list[0]!.patientId).toBe(ids.dora);
    expect((await alice.get(`/api/v1/me/documents/${ids.doraShared}/content`)).status).toBe(200);
    for (const id of [ids.doraKept, ids.bobShared])
      expect((await alice.get(`/api/v1/me/documents/${id}/content`)).status).toBe(404);
    // Bob, outside the family, sees only his own.
    expect((await listOf(bob)).map((d) => d.id)).toEqual([ids.bobShared]);
    expect((await bob.get(`/api/v1/me/documents/${ids.doraShared}/content`)).status).toBe(404);
    // The list is audited as a read of each person's documents, the dependant's included.
    const reads = (await app.deps.audit.list({ patientId: ids.dora, limit: 50 })).filter(
      (r) => r.action === 'document.list' && r.actorId === ids.alice,
    );
    expect(reads.length).toBeGreaterThan(0);
  });

  it('the guardian sends a document for a dependant; naming someone outside the family is refused and audited', async () => {
    const id = await sentId(await send(alice, { patientId: ids.dora, title: 'Dora’s card' }));
    expect((await rowOf(id))?.patientId).toBe(ids.dora);
    expect((await listOf(alice)).find((d) => d.id === id)).toMatchObject({
      patientId: ids.dora,
      source: 'patient',
    });
    // The Inbox names the patient it is for (one lookup of names by the domain).
    const waiting = await app.deps.documents.listToReview({ type: 'staff', id: clinic.adminId });
    expect(waiting.find((d) => d.id === id)?.patient).toEqual({ firstName: 'Dora', lastName: 'Family' });

    const before = (await app.db.reader.db.select().from(app.db.reader.t.documents)).length;
    const refused = await send(alice, { patientId: ids.bob });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await app.db.reader.db.select().from(app.db.reader.t.documents)).length).toBe(before);
    const audit = await app.deps.audit.list({ actorId: ids.alice, limit: 50 });
    expect(audit.some((r) => r.action === 'access.refused' && r.entityId === ids.bob)).toBe(true);
    // Bob's own sending is untouched by this; his list has no document of Dora's.
    expect((await listOf(bob)).some((d) => d.patientId === ids.dora)).toBe(false);
  });

  it('a patient takes back an upload not yet reviewed: soft-deleted, audited, gone from the Inbox', async () => {
    const mine = await sentId(await send(alice, { title: 'Wrong photo' }));
    const doras = await sentId(await send(alice, { patientId: ids.dora }));
    expect(await toReview()).toEqual(expect.arrayContaining([mine, doras]));
    const inbox = async () => doctor.text(await doctor.get('/staff/inbox'));
    const before = await inbox();
    expect(before).toContain('Wrong photo');
    expect(before).toContain(`/staff/patients/${ids.dora}/documents/${doras}`);
    expect(before).toContain('Dora Family');

    // Not another family's: 404, and nothing changes.
    expect((await bob.json('DELETE', `/api/v1/me/documents/${mine}`)).status).toBe(404);
    expect((await rowOf(mine))?.deletedAt).toBeNull();

    for (const id of [mine, doras]) {
      expect((await alice.json('DELETE', `/api/v1/me/documents/${id}`)).status).toBe(204);
      const row = await rowOf(id);
      expect(row?.deletedAt).not.toBeNull();
      expect(row?.deleteReason).toBe('deleted by patient');
      expect(row?.deletedBy).toBeNull();
    }
    expect((await listOf(alice)).map((d) => d.id)).not.toContain(mine);
    expect(await toReview()).not.toContain(mine);
    expect(await toReview()).not.toContain(doras);
    const after = await inbox();
    expect(after).not.toContain('Wrong photo');
    expect(after).not.toContain(`/documents/${doras}`);
    const audit = await app.deps.audit.list({ actorId: ids.alice, limit: 100 });
    expect(audit.filter((r) => r.action === 'document.delete').map((r) => r.entityId)).toEqual(
      expect.arrayContaining([mine, doras]),
    );
    // Gone is gone: a second delete is 404, and staff no longer find it.
    expect((await alice.json('DELETE', `/api/v1/me/documents/${mine}`)).status).toBe(404);
    expect((await doctor.get(`/api/v1/documents/${mine}`)).status).toBe(404);
  });

  it('a take-back racing staff’s review: one of them wins, never both', async () => {
    const outcomes = { deleted: 0, reviewed: 0 };
    for (let round = 0; round < 8; round++) {
      const id = await sentId(await send(alice, { title: `Race ${round}` }));
      const [removed, reviewed] = await Promise.allSettled([
        app.deps.documents.removeOwn({ type: 'patient', id: ids.alice }, id),
        app.deps.documents.markReviewed({ type: 'staff', id: clinic.adminId }, id),
      ]);
      const row = await rowOf(id);
      expect(removed.status === 'fulfilled', `round ${round}`).not.toBe(reviewed.status === 'fulfilled');
      expect(row?.deletedAt !== null).toBe(removed.status === 'fulfilled');
      expect(row?.reviewedAt !== null).toBe(reviewed.status === 'fulfilled');
      outcomes[removed.status === 'fulfilled' ? 'deleted' : 'reviewed'] += 1;
      // The loser is told why: the review a 404 (the document is gone), the take-back a 409.
      const lost =
        removed.status === 'rejected' ? removed.reason : (reviewed as PromiseRejectedResult).reason;
      expect((lost as { status: number }).status).toBe(removed.status === 'rejected' ? 409 : 404);
    }
    expect(outcomes.deleted + outcomes.reviewed).toBe(8);
  });

  it('never a document the clinic shared, nor an upload it has reviewed', async () => {
    const shared = await alice.json('DELETE', `/api/v1/me/documents/${ids.doraShared}`);
    expect(shared.status).toBe(403);
    expect(((await shared.json()) as { error: { code: string } }).error.code).toBe('not_own_upload');
    const seen = await sentId(await send(alice));
    await app.deps.documents.markReviewed({ type: 'staff', id: clinic.adminId }, seen);
    const reviewed = await alice.json('DELETE', `/api/v1/me/documents/${seen}`);
    expect(reviewed.status).toBe(409);
    expect(((await reviewed.json()) as { error: { code: string } }).error.code).toBe('already_reviewed');
    // Unshared ones are not there at all for the patient.
    expect((await alice.json('DELETE', `/api/v1/me/documents/${ids.doraKept}`)).status).toBe(404);
    for (const id of [ids.doraShared, seen, ids.doraKept]) expect((await rowOf(id))?.deletedAt).toBeNull();
  });
});
