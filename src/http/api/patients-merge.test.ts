import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { addPatientLogin, patientOnRecord, signedInPatient } from '../../testing/signed-in.ts';

interface MergeJson {
  patient: { id: string; status: string; mergedInto: string | null };
  merged: { id: string; status: string; mergedInto: string | null };
  counts: Record<string, number>;
}

/**
 * Issue 17 item 5: `POST /api/v1/patients/{id}/merge {"fromPatientId"}` and its dry run
 * `GET …/merge?fromPatientId=`: the counts the preview gives are the ones the merge moves; admins
 * and the front desk may merge (`patients.merge`), practitioners not; refusals are stable codes.
 */
describe.each(bothDialects)('merging records over the API on %s', (dialect) => {
  let { app, clinic, doctor, desk } = {} as ClinicStaffWorld;

  beforeAll(async () => {
    ({ app, clinic, doctor, desk } = await clinicStaffWorld(dialect));
  });
  afterAll(() => app.destroy());

  const preview = (who: TestBrowser, to: string, from: string) =>
    who.get(`/api/v1/patients/${to}/merge?fromPatientId=${encodeURIComponent(from)}`);
  const merge = (who: TestBrowser, to: string, from: string) =>
    who.json('POST', `/api/v1/patients/${to}/merge`, { fromPatientId: from });
  const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it('previews, then merges: the counts match, the old record is archived and marked', async () => {
    const onFile = await patientOnRecord(app, { firstName: 'Lea', lastName: 'Moreau' });
    const registered = await patientOnRecord(app, { firstName: 'Lea', lastName: 'Moreau' });
    await bookAppointment(app, clinic, registered.id, '2026-03-03T09:00:00+01:00');
    await bookAppointment(app, clinic, onFile.id, '2026-03-03T10:00:00+01:00');
    await addPatientLogin(app, registered.id, 'email:lea@merge.example');

    const dry = await preview(desk, onFile.id, registered.id);
    expect(dry.status).toBe(200);
    const counts = ((await dry.json()) as MergeJson).counts;
    expect(counts).toMatchObject({ appointments: 1, logins: 1 });

    const res = await merge(desk, onFile.id, registered.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as MergeJson;
    expect(body.counts).toEqual(counts);
    expect(body.patient).toMatchObject({ id: onFile.id, status: 'active', mergedInto: null });
    expect(body.merged).toMatchObject({ id: registered.id, status: 'archived', mergedInto: onFile.id });

    const read = (await (await desk.get(`/api/v1/patients/${registered.id}`)).json()) as MergeJson;
    expect(read.patient).toMatchObject({ status: 'archived', mergedInto: onFile.id });
    // The same merge again: refused, nothing changes.
    expect(await codeOf(await merge(desk, onFile.id, registered.id))).toBe('already_merged');
  });

  it('declares patients.merge on its API routes and staff pages, which the route-policy walk then checks', async () => {
    const merges = new Set(
      app.http.routes
        .filter((r) => r.method !== 'ALL' && r.path.endsWith('/:id/merge'))
        .flatMap((r) => {
          const policy = (r.handler as { policy?: string }).policy;
          return policy ? [`${r.method} ${r.path} ${policy}`] : [];
        }),
    );
    expect([...merges].sort()).toEqual([
      'GET /api/v1/patients/:id/merge patients.merge',
      'GET /staff/patients/:id/merge patients.merge',
      'POST /api/v1/patients/:id/merge patients.merge',
      'POST /staff/patients/:id/merge patients.merge',
    ]);
    const a = await patientOnRecord(app);
    expect((await desk.get(`/staff/patients/${a.id}/merge`)).status).toBe(200);
    expect((await doctor.get(`/staff/patients/${a.id}/merge`)).status).toBe(403);
  });

  it('moves a patient signed in to the merged record to the kept one (it cannot be signed into)', async () => {
    const onFile = await patientOnRecord(app, { firstName: 'Ines', lastName: 'Roux' });
    const { patient: registered, browser: phone } = await signedInPatient(app, {
      firstName: 'Ines',
      lastName: 'Roux',
    });
    const me = async () =>
      ((await (await phone.get('/api/v1/me')).json()) as { patient: { id: string } }).patient.id;
    expect(await me()).toBe(registered.id); // and now cached by this instance
    expect((await merge(desk, onFile.id, registered.id)).status).toBe(200);
    expect(await me()).toBe(onFile.id);
  });

  it('refuses with stable codes, and practitioners may not merge or preview', async () => {
    const a = await patientOnRecord(app);
    const b = await patientOnRecord(app);
    expect((await merge(doctor, a.id, b.id)).status).toBe(403);
    expect((await preview(doctor, a.id, b.id)).status).toBe(403);
    const same = await merge(desk, a.id, a.id);
    expect([same.status, await codeOf(same)]).toEqual([422, 'merge_same_record']);
    const missing = await merge(desk, a.id, 'no-such-record');
    expect(missing.status).toBe(404);
    const blank = await preview(desk, a.id, '');
    expect([blank.status, await codeOf(blank)]).toEqual([422, 'validation_failed']);
    await app.deps.patients.archive({ type: 'staff', id: clinic.adminId }, b.id);
    const archived = await merge(desk, b.id, a.id);
    expect([archived.status, await codeOf(archived)]).toEqual([409, 'merge_target_archived']);
    // The other way round is fine: an archived duplicate may be merged into an active record.
    expect((await preview(desk, a.id, b.id)).status).toBe(200);
  });
});
