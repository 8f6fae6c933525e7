import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceField, choices, tableField } from '../../domain/chart/index.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { starterTemplates, writeNote } from '../../testing/note-templates.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

interface FieldJson {
  id: string;
  type: string;
  label: string;
  required?: boolean;
}
interface TemplateJson {
  id: string;
  name: string;
  kind: string;
  version: number;
  latestVersion: number;
  fields: FieldJson[];
}
interface NoteJson {
  id: string;
  patientId: string;
  templateId: string;
  templateVersion: number;
  status: string;
  version: number;
  answers: Record<string, unknown>;
  contentHash: string | null;
  signedAt: string | null;
}

/**
 * Issue 17 (templates and treatment notes) over HTTP: the shipped starters, versioned templates
 * (a note keeps its version), drafts autosaved with a version check, signing (locked, hashed, the
 * hash audited), addenda, the front desk's count-only view, and note text kept out of the log.
 * Runs on the suite's dialect (SQLite, or PostgreSQL with CLINICBOX_TEST_DATABASE_URL).
 */
describe('templates and treatment notes over HTTP', () => {
  let { app, clinic, doctor, colleague, admin, desk } = {} as ClinicStaffWorld;
  let patientA: string;
  let patientB: string;
  let soap: TemplateJson;
  let followUp: TemplateJson;

  beforeAll(async () => {
    ({ app, clinic, doctor, colleague, admin, desk } = await clinicStaffWorld());
    patientA = (await patientOnRecord(app, { firstName: 'Ana' })).id;
    patientB = (await patientOnRecord(app, { firstName: 'Ben' })).id;
    ({ soap, followUp } = await starterTemplates<TemplateJson>(doctor));
  });
  afterAll(() => app.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const noteOf = async (res: Response) => (await json<{ note: NoteJson }>(res)).note;
  const newNote = (templateId = soap.id, answers: Record<string, unknown> = {}, patientId = patientA) =>
    writeNote<NoteJson>(doctor, patientId, { templateId, answers });
  const noteRows = async () => (await app.db.reader.db.select().from(app.db.reader.t.notes)).length;
  const auditOf = async (entityId: string) =>
    (await app.deps.audit.list({ limit: 1000 })).filter((r) => r.entityId === entityId);

  it('ships the eight starter templates, made once, with typed fields', async () => {
    const res = await desk.get('/api/v1/templates');
    expect(res.status).toBe(200);
    const { templates } = await json<{ templates: TemplateJson[] }>(res);
    expect(templates.map((t) => `${t.kind}:${t.name}`).sort()).toEqual(
      [
        'note:SOAP note',
        'note:Initial physiotherapy assessment',
        'note:Follow-up',
        'note:Psychology session note',
        'note:GP consultation',
        'form:Medical history',
        'form:Treatment consent',
        'form:Privacy consent',
      ].sort(),
    );
    expect(soap.version).toBe(1);
    expect(soap.fields.map((f) => f.type)).toContain('vitals');
    const types = new Set(templates.flatMap((t) => t.fields.map((f) => f.type)));
    for (const type of ['heading', 'short-text', 'long-text', 'single-choice', 'multiple-choice', 'date'])
      expect(types).toContain(type);
    for (const type of ['yes-no', 'scale', 'vitals', 'table', 'signature']) expect(types).toContain(type);
    const forms = await json<{ templates: TemplateJson[] }>(await desk.get('/api/v1/templates?kind=form'));
    expect(forms.templates).toHaveLength(3);
    // A second start makes none again.
    await app.start();
    const again = await json<{ templates: TemplateJson[] }>(await desk.get('/api/v1/templates'));
    expect(again.templates).toHaveLength(8);
  });

  it('makes a new version on edit; a note keeps the version it was written with', async () => {
    const first = await newNote(followUp.id, { progress: 'Better' });
    expect(first.templateVersion).toBe(1);
    const fields = [...followUp.fields, { id: 'next-visit', type: 'date', label: 'Next visit' }];
    expect((await doctor.json('POST', `/api/v1/templates/${followUp.id}/versions`, { fields })).status).toBe(
      403,
    );
    const res = await admin.json('POST', `/api/v1/templates/${followUp.id}/versions`, { fields });
    expect(res.status).toBe(201);
    const v2 = (await json<{ template: TemplateJson }>(res)).template;
    expect(v2).toMatchObject({ id: followUp.id, version: 2, latestVersion: 2, name: 'Follow-up' });

    const read = await json<{ note: NoteJson; template: TemplateJson }>(
      await doctor.get(`/api/v1/notes/${first.id}`),
    );
    expect(read.note.templateVersion).toBe(1);
    expect(read.template.version).toBe(1);
    expect(read.template.fields.map((f) => f.id)).not.toContain('next-visit');
    const old = await json<{ template: TemplateJson }>(
      await doctor.get(`/api/v1/templates/${followUp.id}?version=1`),
    );
    expect(old.template.fields).toEqual(followUp.fields);
    // The old note cannot take the new field; a new note is written with version 2.
    const stale = await doctor.json('PATCH', `/api/v1/notes/${first.id}`, {
      version: first.version,
      answers: { 'next-visit': '2026-03-09' },
    });
    expect(stale.status).toBe(422);
    const second = await newNote(followUp.id, { 'next-visit': '2026-03-09' });
    expect(second.templateVersion).toBe(2);

    // A field id keeps its type across versions.
    const retyped = fields.map((f) => (f.id === 'progress' ? { ...f, type: 'short-text' } : f));
    const refused = await admin.json('POST', `/api/v1/templates/${followUp.id}/versions`, {
      fields: retyped,
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('fields.0.type');
  });

  it('lets admins make a template, checking its fields; notes take note templates only', async () => {
    const fields = [
      { id: 'h', type: 'heading', label: 'Knee' },
      choiceField('single-choice', 'side', 'Side', choices('Left', 'Right'), { required: true }),
      tableField('rom', 'Range', { move: 'Movement', deg: 'Degrees' }),
      { id: 'sig', type: 'signature', label: 'Signature' },
    ];
    const body = { name: 'Knee review', kind: 'note', fields };
    expect((await doctor.json('POST', '/api/v1/templates', body)).status).toBe(403);
    const dup = await admin.json('POST', '/api/v1/templates', { ...body, fields: [...fields, fields[1]] });
    expect(dup.status).toBe(422);
    const odd = await admin.json('POST', '/api/v1/templates', {
      ...body,
      fields: [{ id: 'x', type: 'colour', label: 'X' }],
    });
    expect(odd.status).toBe(422);
    const made = await admin.json('POST', '/api/v1/templates', body);
    expect(made.status).toBe(201);
    const knee = (await json<{ template: TemplateJson }>(made)).template;
    expect(knee).toMatchObject({ name: 'Knee review', kind: 'note', version: 1, fields });
    const listed = await json<{ templates: TemplateJson[] }>(await doctor.get('/api/v1/templates?kind=note'));
    expect(listed.templates.map((t) => t.id)).toContain(knee.id);
    const note = await newNote(knee.id, {
      side: 'left',
      rom: [{ move: 'flexion', deg: '120' }],
      sig: { name: 'Dr P1' },
    });
    expect(note.answers).toEqual({
      side: 'left',
      rom: [{ move: 'flexion', deg: '120' }],
      sig: { name: 'Dr P1' },
    });
    const form = (await json<{ templates: TemplateJson[] }>(await doctor.get('/api/v1/templates?kind=form')))
      .templates[0]!;
    const wrongKind = await doctor.json('POST', `/api/v1/patients/${patientA}/notes`, {
      templateId: form.id,
    });
    expect(wrongKind.status).toBe(422);
    expect((await doctor.get('/api/v1/templates/no-such-template')).status).toBe(404);
    expect((await doctor.get(`/api/v1/templates/${knee.id}?version=9`)).status).toBe(404);
  });

  it('checks every answer against its field and saves nothing on a bad one', async () => {
    const before = await noteRows();
    const res = await doctor.json('POST', `/api/v1/patients/${patientA}/notes`, {
      templateId: soap.id,
      answers: { subjective: 'fine', vitals: { systolic: 80, diastolic: 120 }, nope: 1 },
    });
    expect(res.status).toBe(422);
    const { error } = await json<{ error: { issues: { path: string; message: string }[] } }>(res);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['answers.nope', 'answers.vitals']);
    expect(await noteRows()).toBe(before);

    const note = await newNote(soap.id, { vitals: { weightKg: 80, heightCm: 180, bmi: 99, pulse: 64 } });
    expect(note.answers.vitals).toEqual({ weightKg: 80, heightCm: 180, pulse: 64, bmi: 24.7 });
  });

  it('autosaves with the version: two tabs saving the same version get exactly one 409, nothing lost', async () => {
    const note = await newNote();
    const [one, two] = await Promise.all([
      doctor.json('PATCH', `/api/v1/notes/${note.id}`, { version: 1, answers: { subjective: 'tab one' } }),
      doctor.json('PATCH', `/api/v1/notes/${note.id}`, { version: 1, answers: { objective: 'tab two' } }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const [won, lost] = one.status === 200 ? [one, two] : [two, one];
    const saved = await noteOf(won);
    expect(saved.version).toBe(2);
    const conflict = await json<{ error: { code: string; currentVersion: number } }>(lost);
    expect(conflict.error).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    // The losing tab saves again on the current version: both answers are kept.
    const lostAnswer = one === lost ? { subjective: 'tab one' } : { objective: 'tab two' };
    const retry = await doctor.json('PATCH', `/api/v1/notes/${note.id}`, { version: 2, answers: lostAnswer });
    expect(retry.status).toBe(200);
    const final = await noteOf(retry);
    expect(final).toMatchObject({ version: 3, answers: { subjective: 'tab one', objective: 'tab two' } });
    // Only the author edits a draft.
    const other = await colleague.json('PATCH', `/api/v1/notes/${note.id}`, {
      version: 3,
      answers: { plan: 'x' },
    });
    expect(other.status).toBe(403);
  });

  it('signs once: locked, hashed, the hash in the audit row; every write route then answers 409', async () => {
    const note = await newNote(soap.id, { subjective: 'Knee pain' });
    const early = await doctor.json('POST', `/api/v1/notes/${note.id}/sign`, {});
    expect(early.status).toBe(422); // assessment and plan are required
    const filled = await noteOf(
      await doctor.json('PATCH', `/api/v1/notes/${note.id}`, {
        version: note.version,
        answers: { assessment: 'Patellofemoral pain', plan: 'Exercises' },
      }),
    );
    expect((await colleague.json('POST', `/api/v1/notes/${note.id}/sign`, {})).status).toBe(403);
    const signedRes = await doctor.json('POST', `/api/v1/notes/${note.id}/sign`, { version: filled.version });
    expect(signedRes.status).toBe(200);
    const signed = await noteOf(signedRes);
    expect(signed.status).toBe('signed');
    expect(signed.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const audit = (await auditOf(note.id)).find((r) => r.action === 'note.sign')!;
    expect(audit.details).toMatchObject({ hash: signed.contentHash });

    const writes = app.http.routes.filter(
      (r) =>
        r.path.startsWith('/api/v1/notes/:id') &&
        !['GET', 'ALL'].includes(r.method) &&
        !r.path.endsWith('/addenda'),
    );
    expect([...new Set(writes.map((r) => `${r.method} ${r.path}`))].sort()).toEqual([
      'PATCH /api/v1/notes/:id',
      'POST /api/v1/notes/:id/copy-forward',
      'POST /api/v1/notes/:id/sign',
    ]);
    for (const route of new Map(writes.map((r) => [`${r.method} ${r.path}`, r])).values()) {
      for (const who of [doctor, colleague]) {
        const res = await who.json(route.method, route.path.replace(':id', note.id), {
          version: signed.version,
          answers: { plan: 'changed' },
        });
        expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 409 });
        expect((await json<{ error: { code: string } }>(res)).error.code).toBe('note_signed');
      }
    }
    const added = await colleague.json('POST', `/api/v1/notes/${note.id}/addenda`, {
      text: 'Also: swelling',
    });
    expect(added.status).toBe(201);
    const { addendum } = await json<{ addendum: { contentHash: string; authorId: string } }>(added);
    expect(addendum.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const read = await json<{ note: NoteJson; addenda: unknown[] }>(
      await doctor.get(`/api/v1/notes/${note.id}`),
    );
    expect(read.note).toEqual({ ...signed, templateName: 'SOAP note' });
    expect(read.addenda).toHaveLength(1);
    // A row changed behind the app's back no longer matches its hash.
    await app.deps.db.tx((ctx) =>
      ctx.db
        .update(ctx.t.notes)
        .set({ answers: JSON.stringify({ ...signed.answers, plan: 'Edited in the database' }) })
        .where(eq(ctx.t.notes.id, note.id)),
    );
    const tampered = await json<{ intact: boolean }>(await doctor.get(`/api/v1/notes/${note.id}`));
    expect(tampered.intact).toBe(false);
    // Addenda are for signed notes only.
    const draft = await newNote();
    expect((await doctor.json('POST', `/api/v1/notes/${draft.id}/addenda`, { text: 'x' })).status).toBe(409);
  });

  it('gives the front desk the number of notes only, and admins read but never write', async () => {
    const note = await newNote(soap.id, { subjective: 'Private words' }, patientB);
    const count = await desk.get(`/api/v1/patients/${patientB}/notes`);
    expect(count.status).toBe(200);
    expect(await count.json()).toEqual({ count: 1 });
    for (const res of [
      await desk.get(`/api/v1/notes/${note.id}`),
      await desk.get('/api/v1/notes?mine=1'),
      await desk.json('PATCH', `/api/v1/notes/${note.id}`, { version: 1, answers: {} }),
      await desk.json('POST', `/api/v1/patients/${patientB}/notes`, { templateId: soap.id }),
    ]) {
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('Private words');
    }
    const list = await json<{ count: number; notes: NoteJson[] }>(
      await admin.get(`/api/v1/patients/${patientB}/notes`),
    );
    expect(list.notes.map((n) => n.id)).toEqual([note.id]);
    expect(
      (await admin.json('POST', `/api/v1/patients/${patientB}/notes`, { templateId: soap.id })).status,
    ).toBe(403);
  });

  it('keeps one patient’s notes and appointments out of another’s chart', async () => {
    const aNote = await newNote(soap.id, {}, patientA);
    const bList = await json<{ notes: NoteJson[] }>(await doctor.get(`/api/v1/patients/${patientB}/notes`));
    expect(bList.notes.every((n) => n.patientId === patientB)).toBe(true);
    expect(bList.notes.map((n) => n.id)).not.toContain(aNote.id);
    const aAppointment = await bookAppointment(app, clinic, patientA, '2026-03-03T09:00:00.000Z');
    const wrong = await doctor.json('POST', `/api/v1/patients/${patientB}/notes`, {
      templateId: soap.id,
      appointmentId: aAppointment.id,
    });
    expect(wrong.status).toBe(422);
    const right = await doctor.json('POST', `/api/v1/patients/${patientA}/notes`, {
      templateId: soap.id,
      appointmentId: aAppointment.id,
    });
    expect(right.status).toBe(201);
    expect((await doctor.get(`/api/v1/patients/no-such-patient/notes`)).status).toBe(404);
  });

  it('lists the practitioner’s drafts begun before today as notes to finish', async () => {
    const toFinish = async (who: TestBrowser) =>
      (await json<{ notes: NoteJson[] }>(await who.get('/api/v1/notes?mine=1&status=draft&toFinish=1')))
        .notes;
    const today = await newNote();
    app.clock.advance(-24 * 3600_000);
    let yesterday: NoteJson;
    try {
      yesterday = await newNote();
    } finally {
      app.clock.advance(24 * 3600_000);
    }
    const ids = (await toFinish(doctor)).map((n) => n.id);
    expect(ids).toContain(yesterday.id);
    expect(ids).not.toContain(today.id);
    expect((await toFinish(colleague)).map((n) => n.id)).not.toContain(yesterday.id);
    const drafts = await json<{ notes: NoteJson[] }>(await doctor.get('/api/v1/notes?mine=1&status=draft'));
    expect(drafts.notes.map((n) => n.id)).toEqual(expect.arrayContaining([today.id, yesterday.id]));
    expect(drafts.notes.every((n) => n.status === 'draft')).toBe(true);
  });

  it('never writes note text to the log, the audit details or an error', async () => {
    const marker = 'MARKER-7f3a9c-hemorrhoid';
    const note = await newNote(soap.id, { subjective: marker });
    const bad = await doctor.json('PATCH', `/api/v1/notes/${note.id}`, {
      version: note.version,
      answers: { vitals: { systolic: marker } },
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).not.toContain(marker);
    await doctor.json('PATCH', `/api/v1/notes/${note.id}`, {
      version: note.version,
      answers: { assessment: marker, plan: marker },
    });
    await doctor.json('POST', `/api/v1/notes/${note.id}/sign`, {});
    await doctor.json('POST', `/api/v1/notes/${note.id}/addenda`, { text: marker });
    await doctor.get(`/api/v1/notes/${note.id}`);
    await doctor.json('PATCH', `/api/v1/notes/${note.id}`, { version: 1, answers: { plan: marker } });
    // Searching for it: the query is no more logged or audited than the note.
    const found = await doctor.get(`/api/v1/patients/${patientA}/notes?q=${marker}`);
    expect(((await found.json()) as { count: number }).count).toBe(1);
    await doctor.get(`/staff/patients/${patientA}/notes?q=${marker}`);
    await desk.get(`/api/v1/patients/${patientA}/notes?q=${marker}`);
    const searches = (await app.deps.audit.list({ limit: 1000 })).filter((r) => r.action === 'note.search');
    expect(searches.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(searches)).not.toContain(marker);
    const rows = await auditOf(note.id);
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['note.create', 'note.save', 'note.sign', 'note.addendum', 'note.read']),
    );
    expect(app.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(app.logs)).not.toContain(marker);
    expect(JSON.stringify(rows)).not.toContain(marker);
  });
});
