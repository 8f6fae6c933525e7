import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { postFile, sampleDocx, samplePdf, samplePng, storedObjectKeys } from '../../testing/documents.ts';
import { signedInPatient, signedInStaff } from '../../testing/signed-in.ts';

interface DocJson {
  id: string;
  patientId: string;
  title: string;
  category: string;
  contentType: string;
  size: number;
  sha256: string;
  fileName: string;
  documentDate: string;
  sharedWithPatient: boolean;
  source: string;
  reviewedAt: string | null;
}

/**
 * Issue 16 over HTTP: staff upload to a chart (streamed multipart, type sniffed, 415/413), read the
 * list and the content (ETag, Range, inline or attachment under a sandboxing CSP), change, share
 * (the patient is told) and delete; the front desk never reads clinical categories; a patient
 * sees what was shared with them and what they sent, and uploads a photo that staff review.
 * Runs on the suite's dialect (SQLite, or PostgreSQL with CLINICBOX_TEST_DATABASE_URL).
 */
describe('documents over HTTP', () => {
  let { app, clinic, doctor, desk } = {} as ClinicStaffWorld;
  let patientId: string;
  let patient: TestBrowser;
  let otherPatient: TestBrowser;

  beforeAll(async () => {
    ({ app, clinic, doctor, desk } = await clinicStaffWorld(undefined, { maxUploadMb: 2 }));
    const a = await signedInPatient(app, { firstName: 'Ana', email: 'ana@example.org' });
    patientId = a.patient.id;
    patient = a.browser;
    otherPatient = (await signedInPatient(app, { firstName: 'Ben', email: 'ben@example.org' })).browser;
  });
  afterAll(() => app.destroy());

  const upload = async (
    who: TestBrowser,
    file: { name: string; bytes: Buffer; type?: string },
    fields: Record<string, string> = {},
  ) => postFile(app, who, `/api/v1/patients/${patientId}/documents`, file, fields);
  const docOf = async (res: Response) => ((await res.json()) as { document: DocJson }).document;
  const rowCount = async () => (await app.db.reader.db.select().from(app.db.reader.t.documents)).length;
  const auditActions = async (entityId: string) =>
    (await app.deps.audit.list({ limit: 500 })).filter((r) => r.entityId === entityId).map((r) => r.action);

  it('stores a PDF streamed from a form and serves it back with its ETag, ranges and a sandboxing CSP', async () => {
    const pdf = samplePdf('referral from Dr Who');
    const res = await upload(
      doctor,
      { name: '../../etc/Référral<1>.pdf', bytes: pdf, type: 'text/html' },
      {
        category: 'referral',
        title: 'Referral letter',
        documentDate: '2026-02-27',
      },
    );
    expect(res.status).toBe(201);
    const doc = await docOf(res);
    expect(doc).toMatchObject({
      patientId,
      title: 'Referral letter',
      category: 'referral',
      contentType: 'application/pdf', // from the bytes, not the header
      size: pdf.length,
      fileName: 'Référral1.pdf',
      documentDate: '2026-02-27',
      sharedWithPatient: false,
      source: 'staff',
    });
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The object's name carries ids only.
    const keys = storedObjectKeys(app.filesPath!);
    expect(keys.some((k) => k.startsWith(`documents/${patientId}/${doc.id}.`))).toBe(true);
    expect(keys.join()).not.toMatch(/ral|\.pdf/i);

    const got = await doctor.get(`/api/v1/documents/${doc.id}/content`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(pdf);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(
      `inline; filename="R_f_rral1.pdf"; filename*=UTF-8''R%C3%A9f%C3%A9rral1.pdf`,
    );
    expect(got.headers.get('content-security-policy')).toBe(
      "default-src 'none'; sandbox; frame-ancestors 'self'",
    );
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = got.headers.get('etag');
    expect(etag).toBe(`"${doc.sha256}"`);

    const again = await doctor.get(`/api/v1/documents/${doc.id}/content`, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    const part = await doctor.get(`/api/v1/documents/${doc.id}/content`, { range: 'bytes=5-9' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5-9/${pdf.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(pdf.subarray(5, 10));
    const tail = await doctor.get(`/api/v1/documents/${doc.id}/content`, { range: 'bytes=-6' });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(pdf.subarray(pdf.length - 6));
    const outside = await doctor.get(`/api/v1/documents/${doc.id}/content`, {
      range: `bytes=${pdf.length}-`,
    });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${pdf.length}`);
    const download = await doctor.get(`/api/v1/documents/${doc.id}/content?download=1`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);
    await download.arrayBuffer();

    // Every read is an audit row: the upload, then each content request.
    const actions = await auditActions(doc.id);
    expect(actions.filter((a) => a === 'document.upload')).toHaveLength(1);
    expect(actions.filter((a) => a === 'document.download')).toHaveLength(5); // not the 416
  });

  it('refuses an HTML page named .pdf (415), a file over the limit (413), and keeps nothing of either', async () => {
    const before = await rowCount();
    const objects = storedObjectKeys(app.filesPath!);
    const html = await upload(doctor, {
      name: 'results.pdf',
      bytes: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
      type: 'application/pdf',
    });
    expect(html.status).toBe(415);
    expect(((await html.json()) as { error: { code: string } }).error.code).toBe('unsupported_type');
    const svg = await upload(doctor, {
      name: 'x.png',
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    });
    expect(svg.status).toBe(415);
    const binaryText = await upload(doctor, {
      name: 'notes.txt',
      bytes: Buffer.from([0x68, 0x69, 0x00, 0x01]),
    });
    expect(binaryText.status).toBe(415);
    const big = Buffer.concat([samplePdf(), Buffer.alloc(2.5 * 1024 * 1024, 0x20)]);
    const tooLarge = await upload(doctor, { name: 'scan.pdf', bytes: big });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe('too_large');
    expect(await rowCount()).toBe(before);
    expect(storedObjectKeys(app.filesPath!)).toEqual(objects);
  });

  it('streams past the 1 MiB body limit on the upload routes only, and takes the other allowed kinds', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(1.5 * 1024 * 1024, 0x20)]);
    const res = await upload(doctor, { name: 'scan.pdf', bytes: big }, { category: 'imaging' });
    expect(res.status).toBe(201);
    const stored = await docOf(res);
    expect(stored.size).toBe(big.length);
    // Anywhere else, the limit stands.
    const json = await doctor.json('PATCH', `/api/v1/documents/${stored.id}`, {
      title: 'x'.repeat(1.2 * 1024 * 1024),
    });
    expect(json.status).toBe(413);

    const docx = await upload(doctor, { name: 'letter', bytes: sampleDocx() }, { category: 'letter' });
    expect(docx.status).toBe(201);
    const d = await docOf(docx);
    expect(d).toMatchObject({
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      fileName: 'letter.docx',
      title: 'letter',
    });
    const word = await doctor.get(`/api/v1/documents/${d.id}/content`);
    expect(word.headers.get('content-disposition')).toMatch(/^attachment; filename="letter.docx"/);
    await word.arrayBuffer();
    // An iPhone photo (HEIC: the ftyp box is what tells it), named as the phone names it.
    const heic = Buffer.alloc(64);
    heic.writeUInt32BE(24, 0);
    heic.write('ftypheic', 4);
    heic.write('mif1heic', 16);
    const photo = await upload(doctor, { name: 'IMG_4032.HEIC', bytes: heic });
    expect(await docOf(photo)).toMatchObject({ contentType: 'image/heic', fileName: 'IMG_4032.HEIC' });
    const csv = await upload(doctor, { name: 'values.csv', bytes: Buffer.from('a,b\n1,é\n') });
    expect(csv.status).toBe(201);
    const c = await docOf(csv);
    expect(c.contentType).toBe('text/csv');
    const text = await doctor.get(`/api/v1/documents/${c.id}/content`);
    expect(text.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(text.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(await text.text()).toBe('a,b\n1,é\n');
  });

  it('keeps the front desk to non-clinical documents: not listed, not read, not uploaded, not changed', async () => {
    const lab = await docOf(
      await upload(doctor, { name: 'lab.pdf', bytes: samplePdf('Hb 9.1') }, { category: 'lab-result' }),
    );
    const card = await upload(desk, { name: 'card.png', bytes: samplePng() }, { category: 'id-insurance' });
    expect(card.status).toBe(201);
    const cardDoc = await docOf(card);

    const deskList = (await (await desk.get(`/api/v1/patients/${patientId}/documents`)).json()) as {
      documents: DocJson[];
    };
    expect(deskList.documents.map((d) => d.category)).toContain('id-insurance');
    expect(deskList.documents.every((d) => ['id-insurance', 'other'].includes(d.category))).toBe(true);
    expect((await desk.get(`/api/v1/documents/${lab.id}`)).status).toBe(403);
    expect((await desk.get(`/api/v1/documents/${lab.id}/content`)).status).toBe(403);
    expect((await desk.json('PATCH', `/api/v1/documents/${lab.id}`, { title: 'x' })).status).toBe(403);
    expect((await desk.json('DELETE', `/api/v1/documents/${lab.id}`, { reason: 'wrong chart' })).status).toBe(
      403,
    );
    // Nor move one of theirs into a clinical category, nor upload one.
    expect(
      (await desk.json('PATCH', `/api/v1/documents/${cardDoc.id}`, { category: 'imaging' })).status,
    ).toBe(403);
    const refused = await upload(desk, { name: 'ref.pdf', bytes: samplePdf() }, { category: 'referral' });
    expect(refused.status).toBe(403);

    const doctorList = (await (
      await doctor.get(`/api/v1/patients/${patientId}/documents?category=lab-result`)
    ).json()) as {
      documents: DocJson[];
    };
    expect(doctorList.documents.map((d) => d.id)).toEqual([lab.id]);
    // Admins read clinical documents (clinical.read) but do not write them (clinical.write).
    const { browser: admin } = await signedInStaff(app, 'admin');
    expect((await admin.get(`/api/v1/documents/${lab.id}`)).status).toBe(200);
    expect((await admin.json('PATCH', `/api/v1/documents/${lab.id}`, { title: 'x' })).status).toBe(403);
    expect((await desk.get(`/api/v1/patients/${clinic.adminId}/documents`)).status).toBe(404);
  });

  it('shares a document with the patient (told once, by a link), who sees only what is theirs', async () => {
    const letter = await docOf(
      await upload(doctor, { name: 'letter.pdf', bytes: samplePdf('dear Ana') }, { category: 'letter' }),
    );
    const hidden = await docOf(
      await upload(doctor, { name: 'notes.pdf', bytes: samplePdf('private') }, { category: 'letter' }),
    );
    const mine = async (who: TestBrowser) =>
      ((await (await who.get('/api/v1/me/documents')).json()) as { documents: DocJson[] }).documents.map(
        (d) => d.id,
      );
    expect(await mine(patient)).not.toContain(letter.id);
    expect((await patient.get(`/api/v1/me/documents/${letter.id}/content`)).status).toBe(404);

    const shared = await doctor.json('PATCH', `/api/v1/documents/${letter.id}`, { sharedWithPatient: true });
    expect(shared.status).toBe(200);
    expect((await docOf(shared)).sharedWithPatient).toBe(true);
    await doctor.json('PATCH', `/api/v1/documents/${letter.id}`, { sharedWithPatient: false });
    await doctor.json('PATCH', `/api/v1/documents/${letter.id}`, { sharedWithPatient: true });
    const t = app.db.reader.t;
    const told = (await app.db.reader.db.select().from(t.deliveries)).filter(
      (d) => d.messageType === 'document-shared',
    );
    expect(told.length).toBeGreaterThan(0);
    expect(new Set(told.map((d) => d.channel)).size).toBe(told.length); // once per channel
    expect(JSON.stringify(told)).not.toContain('dear Ana');

    expect(await mine(patient)).toContain(letter.id);
    expect(await mine(patient)).not.toContain(hidden.id);
    const content = await patient.get(`/api/v1/me/documents/${letter.id}/content`);
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).toString()).toContain('dear Ana');
    // The patient's open is audited as theirs.
    const opened = (await app.deps.audit.list({ patientId, limit: 200 })).filter(
      (r) => r.entityId === letter.id && r.action === 'document.download',
    );
    expect(opened.map((r) => [r.actorType, r.actorId])).toContainEqual(['patient', patientId]);
    expect(await mine(otherPatient)).toEqual([]);
    expect((await otherPatient.get(`/api/v1/me/documents/${letter.id}/content`)).status).toBe(404);
    // Patients never reach the staff routes.
    expect((await patient.get(`/api/v1/documents/${letter.id}/content`)).status).toBe(401);
    expect((await patient.get(`/api/v1/patients/${patientId}/documents`)).status).toBe(401);
  });

  it('takes a patient’s photo into the staff review list; staff mark it reviewed', async () => {
    const res = await postFile(
      app,
      patient,
      '/api/v1/me/documents',
      { name: 'IMG_0001.png', bytes: samplePng() },
      {
        category: 'id-insurance',
        title: 'Insurance card',
      },
    );
    expect(res.status).toBe(201);
    const doc = await docOf(res);
    expect(doc).toMatchObject({ source: 'patient', reviewedAt: null, sharedWithPatient: false, patientId });
    const { documents } = (await (await patient.get('/api/v1/me/documents')).json()) as {
      documents: DocJson[];
    };
    expect(documents.map((d) => d.id)).toContain(doc.id);

    const toReview = await app.deps.documents.listToReview({ type: 'staff', id: clinic.receptionId });
    expect(toReview.map((d) => d.id)).toContain(doc.id);
    const reviewed = await desk.json('PATCH', `/api/v1/documents/${doc.id}`, { reviewed: true });
    expect((await docOf(reviewed)).reviewedAt).not.toBeNull();
    const after = await app.deps.documents.listToReview({ type: 'staff', id: clinic.receptionId });
    expect(after.map((d) => d.id)).not.toContain(doc.id);

    const html = await postFile(app, patient, '/api/v1/me/documents', {
      name: 'photo.jpg',
      bytes: Buffer.from('<html><body>hi</body></html>'),
    });
    expect(html.status).toBe(415);
    const noFile = await postFile(app, patient, '/api/v1/me/documents', null, { title: 'nothing' });
    expect(noFile.status).toBe(422);
    // A multipart post from another site is refused before anything is read.
    const crossSite = await postFile(app, patient, '/api/v1/me/documents', null, {}, 'https://evil.example');
    expect(crossSite.status).toBe(403);
  });

  it('holds a patient to 20 uploads waiting for review, and takes more once staff look at them', async () => {
    const send = () =>
      postFile(app, otherPatient, '/api/v1/me/documents', { name: 'p.png', bytes: samplePng() });
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await send();
      expect(res.status).toBe(201);
      sent.push((await docOf(res)).id);
    }
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_uploads');
    await desk.json('PATCH', `/api/v1/documents/${sent[0]}`, { reviewed: true });
    expect((await send()).status).toBe(201);
  });

  it('renames, re-dates and deletes with a reason: gone from every list, and audited', async () => {
    const doc = await docOf(
      await upload(
        doctor,
        { name: 'x.pdf', bytes: samplePdf() },
        { category: 'other', sharedWithPatient: 'true' },
      ),
    );
    const renamed = await doctor.json('PATCH', `/api/v1/documents/${doc.id}`, {
      title: 'Discharge summary',
      documentDate: '2025-12-24',
    });
    expect(await docOf(renamed)).toMatchObject({ title: 'Discharge summary', documentDate: '2025-12-24' });
    const bad = await doctor.json('PATCH', `/api/v1/documents/${doc.id}`, { category: 'poem' });
    expect(bad.status).toBe(422);
    expect((await doctor.json('DELETE', `/api/v1/documents/${doc.id}`, {})).status).toBe(422);
    expect(
      (await doctor.json('DELETE', `/api/v1/documents/${doc.id}`, { reason: 'wrong patient' })).status,
    ).toBe(204);
    expect((await doctor.get(`/api/v1/documents/${doc.id}`)).status).toBe(404);
    expect((await doctor.get(`/api/v1/documents/${doc.id}/content`)).status).toBe(404);
    expect((await patient.get(`/api/v1/me/documents/${doc.id}/content`)).status).toBe(404);
    const list = (await (await doctor.get(`/api/v1/patients/${patientId}/documents`)).json()) as {
      documents: DocJson[];
    };
    expect(list.documents.map((d) => d.id)).not.toContain(doc.id);
    const actions = await auditActions(doc.id);
    expect(actions).toEqual(
      expect.arrayContaining(['document.upload', 'document.update', 'document.delete']),
    );
    const row = (await app.db.reader.db.select().from(app.db.reader.t.documents)).find(
      (r) => r.id === doc.id,
    )!;
    expect(row.deleteReason).toBe('wrong patient');
  });

  it('documents every route in the OpenAPI document, the uploads as multipart', async () => {
    const spec = (await (await app.http.request('http://localhost/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(Object.keys(spec.paths['/api/v1/patients/{id}/documents'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(spec.paths['/api/v1/documents/{id}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ]);
    expect(spec.paths['/api/v1/documents/{id}/content']?.get).toBeDefined();
    expect(Object.keys(spec.paths['/api/v1/me/documents'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(spec.paths['/api/v1/me/documents/{id}/content']?.get).toBeDefined();
    expect(Object.keys(spec.paths['/api/v1/me/documents']!.post!.requestBody!.content)).toEqual([
      'multipart/form-data',
    ]);
  });

  it('never serves SVG or HTML inline, even a row that names them (from an older version or a restore)', async () => {
    for (const contentType of ['image/svg+xml', 'text/html', 'application/xhtml+xml']) {
      const doc = await docOf(
        await upload(doctor, { name: 'x.png', bytes: samplePng() }, { sharedWithPatient: 'true' }),
      );
      await app.db.tx((ctx) =>
        ctx.db.update(ctx.t.documents).set({ contentType }).where(eq(ctx.t.documents.id, doc.id)),
      );
      for (const [who, path] of [
        [doctor, `/api/v1/documents/${doc.id}/content`],
        [patient, `/api/v1/me/documents/${doc.id}/content`],
      ] as const) {
        const res = await who.get(path);
        expect(res.status, `${contentType} ${path}`).toBe(200);
        await res.arrayBuffer();
        expect(res.headers.get('content-disposition'), `${contentType} ${path}`).toMatch(/^attachment; /);
        expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
    }
  });
});
