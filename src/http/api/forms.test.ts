import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMIND_FORMS } from '../../domain/forms/index.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { patientBrowser } from '../../testing/patient-browser.ts';
import { pdfText } from '../../testing/pdf-text.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from '../../testing/two-patients-world.ts';
import { sleep, until } from '../../testing/wait.ts';

interface FormJson {
  id: string;
  patientId: string;
  templateId: string;
  name: string;
  status: string;
  appointmentId: string | null;
  version: number;
  submittedAt: string | null;
  fields?: { id: string; type: string }[];
  answers?: Record<string, unknown>;
  signature?: { kind: string; name: string | null } | null;
}

/*
 * Issue 17, patients' forms over HTTP: staff send a form from the chart, the patient lists, reads,
 * saves (a stale version is refused) and submits it with a signature; the submission is kept as a
 * PDF in the patient's documents holding the answers; another patient gets 404 and the front desk
 * sees only statuses; a service's forms are sent with its booking and reminded once a day before.
 */
describe.each(bothDialects)('patients’ forms, on %s', (dialect) => {
  let { app, clinic, doctor, desk, anna: patient, ben: other } = {} as TwoPatientsWorld;
  let templates: { id: string; name: string }[];

  beforeAll(async () => {
    ({ app, clinic, doctor, desk, anna: patient, ben: other } = await twoPatientsWorld(dialect));
    templates = (
      (await (await doctor.get('/api/v1/templates?kind=form')).json()) as { templates: typeof templates }
    ).templates;
  });
  afterAll(() => app.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const template = (name: string) => templates.find((t) => t.name === name)!;
  const send = async (name: string, patientId = patient.id) => {
    const res = await doctor.json('POST', `/api/v1/patients/${patientId}/forms`, {
      templateId: template(name).id,
    });
    expect(res.status).toBe(201);
    return (await json<{ form: FormJson }>(res)).form;
  };

  it('sent from the chart, the patient lists, reads, saves (a stale version is refused) and submits it; its PDF holds the answers', async () => {
    const sent = await send('Medical history');
    expect(sent).toMatchObject({ status: 'sent', version: 1, name: 'Medical history', appointmentId: null });

    const list = await json<{ forms: FormJson[] }>(await patient.browser.get('/api/v1/me/forms'));
    expect(list.forms.map((f) => [f.id, f.status])).toEqual([[sent.id, 'sent']]);
    const read = await json<{ form: FormJson }>(await patient.browser.get(`/api/v1/me/forms/${sent.id}`));
    expect(read.form.fields!.map((f) => f.id)).toContain('allergies');
    expect(read.form.answers).toEqual({});

    const path = `/api/v1/me/forms/${sent.id}/answers`;
    const first = await patient.browser.json('PUT', path, {
      version: 1,
      answers: { allergies: 'Penicillin rash' },
    });
    expect(first.status).toBe(200);
    expect((await json<{ form: FormJson }>(first)).form).toMatchObject({ status: 'in_progress', version: 2 });
    const second = await patient.browser.json('PUT', path, {
      version: 2,
      answers: { smoking: 'former', pregnant: false, medications: 'Ibuprofène 400 mg, 日本 tea' },
    });
    expect(second.status).toBe(200);
    const saved = (await json<{ form: FormJson }>(second)).form;
    expect(saved.version).toBe(3);
    expect(saved.answers).toMatchObject({ allergies: 'Penicillin rash', smoking: 'former', pregnant: false });
    const stale = await patient.browser.json('PUT', path, { version: 2, answers: { allergies: 'None' } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'version_conflict', currentVersion: 3 } });
    const bad = await patient.browser.json('PUT', path, { version: 3, answers: { smoking: 'sometimes' } });
    expect(bad.status).toBe(422);

    // The template has a signature field: none given → 422.
    const unsigned = await patient.browser.json('POST', `/api/v1/me/forms/${sent.id}/submit`, { version: 3 });
    expect(unsigned.status).toBe(422);
    const submit = await patient.browser.json('POST', `/api/v1/me/forms/${sent.id}/submit`, {
      version: 3,
      signature: { kind: 'typed', name: 'Anna Lund', agreed: true },
    });
    expect(submit.status).toBe(200);
    const submitted = (await json<{ form: FormJson }>(submit)).form;
    expect(submitted).toMatchObject({ status: 'submitted', signature: { kind: 'typed', name: 'Anna Lund' } });
    const after = await patient.browser.json('PUT', path, {
      version: submitted.version,
      answers: { allergies: 'x' },
    });
    expect(after.status).toBe(409);
    expect(await after.json()).toMatchObject({ error: { code: 'form_submitted' } });

    // The PDF lands in the patient's documents (a job), readable by clinical staff.
    await jobsDone(app);
    const staffRead = await json<{ form: FormJson & { documentId?: string } }>(
      await doctor.get(`/api/v1/patients/${patient.id}/forms/${sent.id}`),
    );
    expect(staffRead.form.answers).toMatchObject({ allergies: 'Penicillin rash' });
    const docs = await json<{
      documents: { id: string; title: string; category: string; contentType: string }[];
    }>(await doctor.get(`/api/v1/patients/${patient.id}/documents`));
    const pdfDoc = docs.documents.find((d) => d.title.startsWith('Medical history'))!;
    expect(pdfDoc).toMatchObject({ category: 'consent', contentType: 'application/pdf' });
    const content = await doctor.get(`/api/v1/documents/${pdfDoc.id}/content`);
    expect(content.status).toBe(200);
    const bytes = Buffer.from(await content.arrayBuffer());
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
    const text = pdfText(bytes);
    for (const expected of [
      'Riverside Physio',
      'Medical history (version 1)',
      'Allergies',
      'Penicillin rash',
      'Former',
      'Ibuprofène 400 mg, ?? tea',
      'Anna Lund (typed, with the agreement ticked)',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/Signed .* from /);

    // The front desk sees the form's status, never its answers nor its PDF.
    const deskList = await json<{ forms: FormJson[] }>(
      await desk.get(`/api/v1/patients/${patient.id}/forms`),
    );
    expect(deskList.forms.find((f) => f.id === sent.id)).toMatchObject({ status: 'submitted' });
    expect(JSON.stringify(deskList)).not.toContain('Penicillin');
    expect((await desk.get(`/api/v1/patients/${patient.id}/forms/${sent.id}`)).status).toBe(403);
    expect((await desk.get(`/api/v1/documents/${pdfDoc.id}/content`)).status).toBeGreaterThanOrEqual(403);

    // Reviewed by clinical staff.
    const reviewed = await doctor.json('POST', `/api/v1/patients/${patient.id}/forms/${sent.id}/review`, {});
    expect(reviewed.status).toBe(200);
    expect((await json<{ form: FormJson }>(reviewed)).form.status).toBe('reviewed');

    // Audited: sent, read, saved, submitted, PDF, reviewed — with ids, never an answer.
    const audit = (await app.deps.audit.list({ limit: 1000 })).filter((r) => r.entityId === sent.id);
    expect(new Set(audit.map((r) => r.action))).toEqual(
      new Set(['form.send', 'form.read', 'form.save', 'form.submit', 'form.pdf', 'form.review']),
    );
    expect(JSON.stringify(audit)).not.toContain('Penicillin');
    // Nor does an answer reach the log (debug level), a job's payload or a message.
    expect(app.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(app.logs)).not.toContain('Penicillin');
    const jobs = await app.deps.jobs.admin.list({ limit: 500 });
    expect(JSON.stringify(jobs.map((j) => j.payload))).not.toContain('Penicillin');
    expect(JSON.stringify(app.smtp.messages.map((m) => m.text))).not.toContain('Penicillin');
  });

  it('another patient’s form is not found, to read, save or submit', async () => {
    const sent = await send('Privacy consent');
    const b = other.browser;
    expect((await b.get(`/api/v1/me/forms/${sent.id}`)).status).toBe(404);
    expect(
      (await b.json('PUT', `/api/v1/me/forms/${sent.id}/answers`, { version: 1, answers: {} })).status,
    ).toBe(404);
    expect(
      (
        await b.json('POST', `/api/v1/me/forms/${sent.id}/submit`, {
          version: 1,
          signature: { kind: 'typed', name: 'Ben', agreed: true },
        })
      ).status,
    ).toBe(404);
    expect((await json<{ forms: FormJson[] }>(await b.get('/api/v1/me/forms'))).forms).toEqual([]);
    // Nor may staff read it under another patient's chart.
    expect((await doctor.get(`/api/v1/patients/${other.id}/forms/${sent.id}`)).status).toBe(404);
  });

  it('a drawn signature is kept and drawn into the PDF', async () => {
    const sent = await send('Privacy consent');
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await patient.browser.json('PUT', `/api/v1/me/forms/${sent.id}/answers`, {
      version: 1,
      answers: { records: true },
    });
    const res = await patient.browser.json('POST', `/api/v1/me/forms/${sent.id}/submit`, {
      version: 2,
      signature: { kind: 'drawn', image: png },
    });
    expect(res.status).toBe(200);
    expect((await json<{ form: FormJson }>(res)).form.signature).toMatchObject({
      kind: 'drawn',
      name: 'Anna Lund',
    });
    await jobsDone(app);
    const read = await app.deps.forms.read({ type: 'staff', id: clinic.practitionerIds[0]! }, sent.id);
    expect(read.signature).toMatchObject({ kind: 'drawn', image: png });
    expect(read.documentId).toBeTruthy();
  });

  it('a service’s forms are sent with its booking, and reminded once a day before the appointment', async () => {
    const admin = { type: 'staff' as const, id: clinic.adminId };
    await app.deps.forms.setOfService(admin, clinic.serviceId, {
      templateIds: [template('Treatment consent').id],
    });
    const patientId = clinic.patientIds[0]!;
    const a = await bookAppointment(app, clinic, patientId, '2026-03-04T09:00:00.000Z');
    const browser = await patientBrowser(app, patientId);
    const { forms } = await json<{ forms: FormJson[] }>(await browser.get('/api/v1/me/forms'));
    expect(forms.map((f) => [f.name, f.appointmentId, f.status])).toEqual([
      ['Treatment consent', a.id, 'sent'],
    ]);
    // The booking's confirmation says a form waits in the app (never what it asks).
    const told = await until('the confirmation', async () =>
      app.mailsTo('patient1@example.org').find((m) => /is booked/.test(m.subject ?? '')),
    );
    expect(told.text).toContain('Before your visit, please fill in a form in the patient app.');
    expect(told.text).toContain('/app/#/forms');
    expect(told.text?.toLowerCase()).not.toContain('consent');
    const reminders = () =>
      app.mailsTo('patient1@example.org').filter((m) => /form to fill in before/.test(m.subject ?? ''));
    expect(reminders()).toHaveLength(0);

    // A weekly series sends the service's forms once, for its first appointment.
    const other = clinic.patientIds[0]!;
    const desk = { actor: { type: 'staff' as const, id: clinic.receptionId }, role: 'reception' as const };
    const series = await app.deps.appointments.bookSeries(desk, {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[1]!,
      patientId: other,
      start: '2026-03-05T13:00:00.000Z',
      everyWeeks: 1,
      count: 3,
    });
    expect(series.created).toHaveLength(3);
    const after = await app.deps.forms.listOwn({ type: 'patient', id: other });
    expect(
      after.filter((f) => f.appointmentId && series.created.some((x) => x.id === f.appointmentId)),
    ).toEqual([expect.objectContaining({ appointmentId: series.created[0]!.id, name: 'Treatment consent' })]);

    // Moved earlier, an appointment's forms are reminded a day before the new time.
    const moved = await bookAppointment(
      app,
      clinic,
      patient.id,
      '2026-03-06T09:00:00.000Z',
      clinic.practitionerIds[1],
    );
    await app.deps.appointments.move(desk, moved.id, { start: '2026-03-03T14:00:00.000Z' });
    const annaReminders = () =>
      app.mailsTo('anna@example.org').filter((m) => /form to fill in before/.test(m.subject ?? ''));

    app.clock.set('2026-03-03T09:05:00.000Z');
    await jobsDone(app);
    await until('the reminder', async () => reminders().length === 1 || undefined);
    // Run again (a stray job, a retry): nothing more is sent.
    await app.db.tx((ctx) => app.deps.jobs.queue.enqueue(ctx, REMIND_FORMS, { appointmentId: a.id }));
    await jobsDone(app);
    await sleep(200);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.text).not.toContain('consent');
    await until('the moved appointment’s reminder', async () => annaReminders().length === 1 || undefined);
  });
});
