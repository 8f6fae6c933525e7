import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { cookieOf, samplePdf, samplePng } from '../../testing/documents.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/**
 * Documents on the chart over HTTP, as the staff pages use them: the streamed upload
 * static/documents.js sends (CSRF token in a header, JSON answers), the chart's list and its
 * filters, a document's page and its changes (rename, re-categorise, share, review, delete with a
 * reason), the Inbox's "Documents to review" — and what the front desk may not see or do.
 */
describe('documents on the staff chart', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let patientId: string;
  const as = (email: string) => signedInAs(app, email);
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app, { patients: 1 });
    patientId = clinic.patientIds[0]!;
  });
  afterAll(() => app.destroy());

  /** What static/documents.js sends: the fields, then the file; the page's CSRF token as a header. */
  async function upload(
    browser: TestBrowser,
    file: { name: string; bytes: Buffer },
    fields: Record<string, string>,
    options: { csrf?: boolean } = {},
  ) {
    await browser.text(await browser.get(`/staff/patients/${patientId}`));
    const token = /name="_csrf" value="([^"]*)"/.exec(browser.page())![1]!;
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
    return app.http.request(`http://localhost/staff/patients/${patientId}/documents`, {
      method: 'POST',
      headers: {
        cookie: cookieOf(browser),
        origin: 'http://localhost',
        accept: 'application/json',
        ...(options.csrf === false ? {} : { 'x-csrf-token': token }),
      },
      body: form,
    });
  }
  const stored = () => app.deps.documents.list({ type: 'system', id: null }, patientId, {});

  it('uploads from the chart, lists and filters, and refuses what the member may not add', async () => {
    const doctor = await as('p1@clinic.example');
    const letter = await upload(
      doctor,
      { name: 'Referral.pdf', bytes: samplePdf('referral') },
      {
        category: 'referral',
        title: 'Referral to Dr Smith',
        documentDate: '2026-02-20',
        sharedWithPatient: 'false',
      },
    );
    expect(letter.status).toBe(201);
    const { document } = (await letter.json()) as { document: Record<string, unknown> };
    expect(document).toMatchObject({
      title: 'Referral to Dr Smith',
      category: 'referral',
      contentType: 'application/pdf',
      documentDate: '2026-02-20',
      source: 'staff',
      sharedWithPatient: false,
    });

    // Without the header the body is not read for a token: refused, nothing stored.
    const forged = await upload(
      doctor,
      { name: 'x.png', bytes: samplePng() },
      { category: 'other' },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    // An HTML page named .pdf: 415, said in JSON for the script to show.
    const html = await upload(
      doctor,
      { name: 'scan.pdf', bytes: Buffer.from('<html><script>1</script></html>') },
      {
        category: 'other',
      },
    );
    expect(html.status).toBe(415);
    expect(((await html.json()) as { error: { code: string } }).error.code).toBe('unsupported_type');
    expect((await stored()).map((d) => d.title)).toEqual(['Referral to Dr Smith']);

    // The front desk: ID and insurance papers yes, a lab result no (and never listed to them).
    const desk = await as('bo@clinic.example');
    const refused = await upload(
      desk,
      { name: 'result.png', bytes: samplePng() },
      { category: 'lab-result' },
    );
    expect(refused.status).toBe(403);
    const card = await upload(
      desk,
      { name: 'card.png', bytes: samplePng() },
      {
        category: 'id-insurance',
        title: 'Insurance card',
      },
    );
    expect(card.status).toBe(201);
    const deskChart = await desk.text(await desk.get(`/staff/patients/${patientId}`));
    expect(deskChart).toContain('Insurance card');
    expect(deskChart).not.toContain('Referral to Dr Smith');
    expect(deskChart).not.toContain('value="lab-result"');
    const letterId = document.id as string;
    expect((await desk.get(`/staff/patients/${patientId}/documents/${letterId}`)).status).toBe(403);

    // The chart lists both to the practitioner; the htmx filter answers the list only.
    const chart = await doctor.text(await doctor.get(`/staff/patients/${patientId}`));
    expect(chart).toContain('Referral to Dr Smith');
    expect(chart).toContain('Insurance card');
    expect(chart).toContain('src="/static/documents.js"');
    const referrals = await doctor.text(
      await doctor.get(`/staff/patients/${patientId}/documents?category=referral`, { 'hx-request': 'true' }),
    );
    expect(referrals).not.toContain('<html');
    expect(referrals).toContain('Referral to Dr Smith');
    expect(referrals).not.toContain('Insurance card');
    const later = await doctor.text(
      await doctor.get(`/staff/patients/${patientId}/documents?from=2026-02-21`, { 'hx-request': 'true' }),
    );
    expect(later).not.toContain('Referral to Dr Smith');
    // Without htmx the filter is the chart's own query.
    const plain = await doctor.get(`/staff/patients/${patientId}/documents?category=referral`);
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe(`/staff/patients/${patientId}?category=referral#documents`);

    const actions = (await app.deps.audit.list({ limit: 40 })).map((r) => r.action);
    expect(actions).toContain('document.upload');
    expect(actions).toContain('document.list');
  });

  it('renames, re-categorises, shares and deletes with a reason on the document’s page', async () => {
    const doctor = await as('p1@clinic.example');
    const created = await upload(
      doctor,
      { name: 'Knee x-ray.png', bytes: samplePng() },
      { category: 'imaging' },
    );
    const { document } = (await created.json()) as { document: { id: string; title: string } };
    expect(document.title).toBe('Knee x-ray');
    const page = `/staff/patients/${patientId}/documents/${document.id}`;

    const html = await doctor.text(await doctor.get(page));
    expect(html).toContain(`<img class="image" src="/api/v1/documents/${document.id}/content"`);
    // Viewing the page is a read of the document, and its preview a download: both audited.
    await (await doctor.get(`/api/v1/documents/${document.id}/content`)).arrayBuffer();
    const seen = (await app.deps.audit.list({ patientId, limit: 100 })).filter(
      (r) => r.entityId === document.id && r.actorType === 'staff',
    );
    expect(seen.map((r) => r.action)).toEqual(expect.arrayContaining(['document.read', 'document.download']));
    expect(html).toContain(`download="Knee x-ray.png"`);

    // A blank title is refused with what was typed kept; then saved.
    const blank = await doctor.post(page, { title: '', category: 'imaging', documentDate: '2026-03-01' });
    expect(blank.status).toBe(422);
    expect(await doctor.text(blank)).toContain('aria-invalid="true"');
    const saved = await doctor.post(page, {
      title: 'Left knee x-ray',
      category: 'letter',
      documentDate: '2026-03-01',
      appointmentId: '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${page}?notice=saved`);
    expect(await doctor.text(await doctor.get(`${page}?notice=saved`))).toContain('The changes are saved.');

    expect((await doctor.post(`${page}/share`, { shared: 'true' })).status).toBe(303);
    const shared = (await stored()).find((d) => d.id === document.id)!;
    expect(shared).toMatchObject({ title: 'Left knee x-ray', category: 'letter', sharedWithPatient: true });

    await doctor.text(await doctor.get(page));
    const short = await doctor.post(`${page}/delete`, { reason: 'no' });
    expect(short.status).toBe(422);
    expect(await doctor.text(short)).toContain('id="delete-reason-error"');
    expect((await stored()).some((d) => d.id === document.id)).toBe(true);
    const gone = await doctor.post(`${page}/delete`, { reason: 'Uploaded to the wrong patient' });
    expect(gone.status).toBe(303);
    expect(gone.headers.get('location')).toBe(`/staff/patients/${patientId}?documents=deleted#documents`);
    expect((await stored()).some((d) => d.id === document.id)).toBe(false);
    expect((await doctor.get(page)).status).toBe(404);
  });

  it('names one of the patient’s appointments, chosen from the upload form', async () => {
    const { appointment } = await app.deps.appointments.book(
      { actor: { type: 'patient', id: patientId } },
      {
        serviceId: clinic.serviceId,
        practitionerId: clinic.practitionerIds[0]!,
        start: '2026-03-04T09:00:00.000Z',
      },
    );
    const doctor = await as('p1@clinic.example');
    const chart = await doctor.text(await doctor.get(`/staff/patients/${patientId}`));
    expect(chart).toContain(
      `<option value="${appointment.id}">Wed 4 Mar 2026, 10:00 · Physiotherapy</option>`,
    );
    const created = await upload(
      doctor,
      { name: 'Plan.pdf', bytes: samplePdf('plan') },
      {
        category: 'letter',
        appointmentId: appointment.id,
      },
    );
    const { document } = (await created.json()) as { document: { id: string; appointmentId: string } };
    expect(document.appointmentId).toBe(appointment.id);
    const page = await doctor.text(await doctor.get(`/staff/patients/${patientId}/documents/${document.id}`));
    expect(page).toContain('<dd>Wed 4 Mar 2026, 10:00 · Physiotherapy</dd>');
    expect(page).toContain(`<option value="${appointment.id}" selected="">`);
  });

  it('lists a patient’s upload in the Inbox until someone marks it reviewed', async () => {
    const { Readable } = await import('node:stream');
    const sent = await app.deps.documents.uploadOwn(
      { type: 'patient', id: patientId },
      { file: Readable.from([samplePng()]), fileName: 'photo.png', fields: { title: 'Rash photo' } },
    );
    const doctor = await as('p1@clinic.example');
    const inbox = await doctor.text(await doctor.get('/staff/inbox'));
    expect(inbox).toContain('Documents to review (1)');
    expect(inbox).toContain(`href="/staff/patients/${patientId}/documents/${sent.id}"`);
    const reviewed = await doctor.post(`/staff/patients/${patientId}/documents/${sent.id}/reviewed`, {
      back: 'inbox',
    });
    expect(reviewed.status).toBe(303);
    expect(reviewed.headers.get('location')).toBe('/staff/inbox?notice=document-reviewed#h-documents');
    const after = await doctor.text(await doctor.get('/staff/inbox?notice=document-reviewed'));
    expect(after).toContain('Documents to review (0)');
    expect(after).toContain('Marked reviewed');
  });
});
