import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { signNote, starterTemplates, writeNote } from '../../testing/note-templates.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

interface NoteJson {
  id: string;
  patientId: string;
  templateId: string;
  appointmentId: string | null;
  status: string;
  version: number;
  answers: Record<string, unknown>;
}
interface TemplateJson {
  id: string;
  name: string;
  kind: string;
}

/**
 * Issue 17, section 3, on both databases: a note opened from the appointment (the calendar
 * panel's Write note / Open note, the service's default template, one note per appointment), the
 * previous note beside a draft and copy forward (through the autosave's version check, audited),
 * full-text search within a patient's notes (clinical staff only; audited without the query; the
 * query never in the log), and the clinic setting that shows practitioners only the notes of
 * patients they have seen — through the API and the staff pages.
 */
describe.each(bothDialects)('notes from appointments, copy forward, search and access on %s', (dialect) => {
  let { app, clinic, doctor, colleague, admin, desk } = {} as ClinicStaffWorld;
  let soap: TemplateJson;
  let followUp: TemplateJson;
  let patient: string;
  let appointmentId: string;

  beforeAll(async () => {
    ({ app, clinic, doctor, colleague, admin, desk } = await clinicStaffWorld(dialect));
    ({ soap, followUp } = await starterTemplates<TemplateJson>(doctor));
    patient = (await patientOnRecord(app, { firstName: 'Élodie', lastName: 'Marchand' })).id;
    appointmentId = (await bookAppointment(app, clinic, patient, nextWeekday(10))).id;
  });
  afterAll(() => app.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const auditRows = async () => app.deps.audit.list({ limit: 2000 });
  const create = (
    browser: TestBrowser,
    patientId: string,
    body: { templateId: string; answers?: Record<string, unknown>; appointmentId?: string },
  ) => writeNote<NoteJson>(browser, patientId, body);
  /** A note of `templateId` with `answers` (and a plan), signed. */
  const signed = async (
    browser: TestBrowser,
    patientId: string,
    templateId: string,
    answers: Record<string, unknown>,
  ) => {
    const note = await create(browser, patientId, { templateId, answers: { plan: 'Review', ...answers } });
    return signNote<NoteJson>(browser, note.id);
  };
  const panel = async (browser: TestBrowser, id = appointmentId) =>
    browser.text(await browser.get(`/staff/appointments/${id}`, { 'hx-request': 'true' }));

  it('opens the note from the appointment: the service’s template preselected, one note per appointment', async () => {
    // The admin sets the service's default note template on its page.
    const page = await admin.text(await admin.get(`/staff/settings/services/${clinic.serviceId}`));
    expect(page).toContain('name="defaultNoteTemplateId"');
    const service = await app.deps.services.get(clinic.serviceId);
    const saved = await admin.post(`/staff/settings/services/${clinic.serviceId}`, {
      name: service.name,
      description: service.description,
      durationMin: String(service.durationMin),
      bufferBeforeMin: String(service.bufferBeforeMin),
      bufferAfterMin: String(service.bufferAfterMin),
      onlineBookable: 'on',
      newPatientsAllowed: 'on',
      defaultNoteTemplateId: followUp.id,
    });
    expect(saved.status).toBe(303);
    expect((await app.deps.services.get(clinic.serviceId)).defaultNoteTemplateId).toBe(followUp.id);

    // The panel: Write note for practitioners, nothing for the front desk.
    const href = `/staff/patients/${patient}/notes/for-appointment/${appointmentId}`;
    expect(await panel(doctor)).toContain(`href="${href}"`);
    expect(await panel(desk)).not.toContain('Write note');
    expect(await panel(admin)).not.toContain('Write note');

    // The link opens a new note's form with the appointment and the service's template chosen.
    const form = await doctor.text(await doctor.get(href));
    expect(form).toMatch(new RegExp(`<option value="${followUp.id}" selected`));
    expect(form).toMatch(new RegExp(`<option value="${appointmentId}" selected`));
    expect((await desk.get(href)).status).toBe(403);

    const started = await doctor.post(`/staff/patients/${patient}/notes`, {
      templateId: followUp.id,
      appointmentId,
    });
    expect(started.status).toBe(303);
    const noteUrl = started.headers.get('location')!;
    const noteId = noteUrl.split('/').pop()!;

    // Now the panel says Open note (admins too), and the link opens that note instead of a second.
    expect(await panel(doctor)).toContain(`href="${noteUrl}"`);
    expect(await panel(doctor)).toContain('Open note');
    expect(await panel(admin)).toContain('Open note');
    const again = await doctor.get(href);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(noteUrl);
    // A second start from a stale form opens the first too.
    const twice = await doctor.post(`/staff/patients/${patient}/notes`, {
      templateId: soap.id,
      appointmentId,
    });
    expect(twice.headers.get('location')).toBe(noteUrl);
    const { notes } = await json<{ notes: NoteJson[] }>(
      await doctor.get(`/api/v1/patients/${patient}/notes`),
    );
    expect(notes.filter((n) => n.appointmentId === appointmentId).map((n) => n.id)).toEqual([noteId]);
    const found = (await auditRows()).find(
      (r) => r.action === 'note.of-appointment' && r.entityId === noteId,
    );
    expect(found?.patientId).toBe(patient);
  });

  it('shows the last signed note beside a draft and copies it forward through the version check', async () => {
    const other = (await patientOnRecord(app, { firstName: 'Copy', lastName: 'Forward' })).id;
    const first = await signed(doctor, other, soap.id, {
      subjective: 'Knee pain after running',
      objective: 'Swelling medial',
      assessment: 'Sprain',
      plan: 'Ice and rest',
    });
    const draft = await create(doctor, other, {
      templateId: soap.id,
      answers: { subjective: 'Better today' },
    });

    // The page: the previous note, read-only, and the Copy forward button.
    const page = await doctor.text(await doctor.get(`/staff/patients/${other}/notes/${draft.id}`));
    expect(page).toContain('class="previous-note"');
    expect(page).toContain('Swelling medial');
    expect(page).toContain('/copy-forward');
    const previousRead = (await auditRows()).find((r) => r.action === 'note.read' && r.entityId === first.id);
    expect(previousRead).toBeDefined();

    // A stale version changes nothing.
    const stale = await doctor.json('POST', `/api/v1/notes/${draft.id}/copy-forward`, { version: 99 });
    expect(stale.status).toBe(409);
    expect((await json<{ error: { code: string } }>(stale)).error.code).toBe('version_conflict');
    // Another practitioner may not copy into the author's draft.
    expect(
      (await colleague.json('POST', `/api/v1/notes/${draft.id}/copy-forward`, { version: draft.version }))
        .status,
    ).toBe(403);

    const res = await doctor.json('POST', `/api/v1/notes/${draft.id}/copy-forward`, {
      version: draft.version,
    });
    expect(res.status).toBe(200);
    const done = await json<{ note: NoteJson; copied: number; fromNoteId: string }>(res);
    expect(done.fromNoteId).toBe(first.id);
    expect(done.copied).toBe(3);
    expect(done.note.version).toBe(draft.version + 1);
    // Only the empty fields were filled: what the draft said stays.
    expect(done.note.answers).toMatchObject({
      subjective: 'Better today',
      objective: 'Swelling medial',
      assessment: 'Sprain',
      plan: 'Ice and rest',
    });
    const row = (await auditRows()).find((r) => r.action === 'note.copy-forward' && r.entityId === draft.id);
    expect(row?.details).toMatchObject({ fromNoteId: first.id, copied: 3, version: done.note.version });

    // The staff page's button: saves the form, then copies (nothing left to fill now).
    const viaPage = await doctor.post(`/staff/patients/${other}/notes/${draft.id}/copy-forward`, {
      version: String(done.note.version),
      'a.subjective': 'Better today',
      'a.objective': 'Swelling medial',
      'a.assessment': 'Sprain',
      'a.plan': 'Ice and rest',
    });
    expect(viaPage.status).toBe(303);
    expect(viaPage.headers.get('location')).toContain('notice=copied-none');

    // A draft of a template never signed for this patient has nothing to copy.
    const lone = await create(doctor, other, { templateId: followUp.id });
    const none = await doctor.json('POST', `/api/v1/notes/${lone.id}/copy-forward`, {
      version: lone.version,
    });
    expect(none.status).toBe(409);
    expect((await json<{ error: { code: string } }>(none)).error.code).toBe('nothing_to_copy');
    // A signed note is never changed by it.
    const after = await doctor.json('POST', `/api/v1/notes/${first.id}/copy-forward`, {
      version: first.version,
    });
    expect(after.status).toBe(409);
    expect((await json<{ error: { code: string } }>(after)).error.code).toBe('note_signed');
  });

  it('searches a patient’s notes (answers, choices, addenda; accents and case aside) for clinical staff only', async () => {
    const p = (await patientOnRecord(app, { firstName: 'Search', lastName: 'Me' })).id;
    const elsewhere = (await patientOnRecord(app, { firstName: 'Someone', lastName: 'Else' })).id;
    const shoulder = await signed(doctor, p, soap.id, {
      subjective: 'Douleur à l’épaule droite',
      assessment: 'Tendinopathie',
    });
    const knee = await create(doctor, p, { templateId: soap.id, answers: { subjective: 'Genou gauche' } });
    await signed(doctor, elsewhere, soap.id, { subjective: 'Épaule aussi', assessment: 'Other patient' });
    const search = async (browser: TestBrowser, q: string, patientId = p) =>
      browser.get(`/api/v1/patients/${patientId}/notes?${new URLSearchParams({ q })}`);
    const ids = async (q: string) =>
      (await json<{ notes: NoteJson[] }>(await search(doctor, q))).notes.map((n) => n.id);

    expect(await ids('EPAULE')).toEqual([shoulder.id]);
    expect(await ids('épau')).toEqual([shoulder.id]);
    expect(await ids('douleur droite')).toEqual([shoulder.id]);
    expect(await ids('douleur gauche')).toEqual([]);
    expect(await ids('genou')).toEqual([knee.id]);
    // A draft's index follows its saves.
    const saved = await doctor.json('PATCH', `/api/v1/notes/${knee.id}`, {
      version: knee.version,
      answers: { subjective: 'Cheville gauche' },
    });
    expect(saved.status).toBe(200);
    expect(await ids('genou')).toEqual([]);
    expect(await ids('cheville')).toEqual([knee.id]);
    // Addenda are searched too.
    expect(
      (await doctor.json('POST', `/api/v1/notes/${shoulder.id}/addenda`, { text: 'Radiographie normale' }))
        .status,
    ).toBe(201);
    expect(await ids('radiographie')).toEqual([shoulder.id]);
    // Punctuation alone finds nothing and breaks nothing.
    expect(await ids('"*) OR :')).toEqual([]);
    expect((await search(admin, 'epaule')).status).toBe(200);

    // The front desk: 403 (and the count only without a query, as before).
    expect((await search(desk, 'epaule')).status).toBe(403);
    expect(await json(await desk.get(`/api/v1/patients/${p}/notes`))).toEqual({ count: 2 });

    // The staff page's search box.
    const page = await doctor.text(await doctor.get(`/staff/patients/${p}/notes?q=radio`));
    expect(page).toContain('1 note matches');
    expect(page).toContain(`/staff/patients/${p}/notes/${shoulder.id}`);
    expect(page).not.toContain(`/staff/patients/${p}/notes/${knee.id}"`);
    const deskPage = await desk.text(await desk.get(`/staff/patients/${p}/notes?q=radio`));
    expect(deskPage).not.toContain('name="q"');
    expect(deskPage).not.toContain(shoulder.id);

    // Audited as a search, never with the words.
    const rows = (await auditRows()).filter((r) => r.action === 'note.search' && r.patientId === p);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(rows)).not.toMatch(/epaule|radio|genou|cheville/i);
  });

  it('never writes a search query to the log or the audit rows', async () => {
    const marker = 'MARKERSEARCH7f3a9c';
    const p = (await patientOnRecord(app, { firstName: 'Log', lastName: 'Check' })).id;
    await signed(doctor, p, soap.id, { subjective: `Hemorrhoid ${marker}`, assessment: 'x' });
    const api = await doctor.get(`/api/v1/patients/${p}/notes?q=${marker}`);
    expect((await json<{ count: number }>(api)).count).toBe(1);
    await doctor.get(`/staff/patients/${p}/notes?q=${marker}+hemorrhoid`);
    await desk.get(`/api/v1/patients/${p}/notes?q=${marker}`);
    expect(app.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(app.logs)).not.toContain(marker);
    expect(JSON.stringify(await auditRows())).not.toContain(marker);
  });

  it('shows practitioners only the notes of patients they have seen when the clinic says so', async () => {
    const seen = (await patientOnRecord(app, { firstName: 'Seen', lastName: 'ByP1' })).id;
    const notSeen = (await patientOnRecord(app, { firstName: 'Seen', lastName: 'ByP2Only' })).id;
    await bookAppointment(app, clinic, seen, nextWeekday(14), clinic.practitionerIds[0]);
    const theirs = await signed(colleague, notSeen, soap.id, { subjective: 'Vertiges', assessment: 'x' });
    const mine = await signed(colleague, seen, soap.id, { subjective: 'Vertiges', assessment: 'y' });
    const setting = async (on: boolean) =>
      app.deps.clinic.update(systemActor, { ...(await app.deps.clinic.get()), notesOfSeenPatientsOnly: on });

    // Off (the default): every practitioner reads every chart's notes.
    expect((await doctor.get(`/api/v1/notes/${theirs.id}`)).status).toBe(200);
    expect(
      (await json<{ notes?: unknown[] }>(await doctor.get(`/api/v1/patients/${notSeen}/notes`))).notes,
    ).toHaveLength(1);

    await setting(true);
    try {
      // Not seen: no note read, the count only, no search, no new note.
      expect((await doctor.get(`/api/v1/notes/${theirs.id}`)).status).toBe(403);
      expect(await json(await doctor.get(`/api/v1/patients/${notSeen}/notes`))).toEqual({ count: 1 });
      expect((await doctor.get(`/api/v1/patients/${notSeen}/notes?q=vertiges`)).status).toBe(403);
      expect(
        (await doctor.json('POST', `/api/v1/patients/${notSeen}/notes`, { templateId: soap.id })).status,
      ).toBe(403);
      expect((await doctor.get(`/staff/patients/${notSeen}/notes/${theirs.id}`)).status).toBe(403);
      // Seen (an appointment with them): everything, the colleague's note included.
      expect((await doctor.get(`/api/v1/notes/${mine.id}`)).status).toBe(200);
      expect(
        (
          await json<{ notes: NoteJson[] }>(await doctor.get(`/api/v1/patients/${seen}/notes?q=vertiges`))
        ).notes.map((n) => n.id),
      ).toEqual([mine.id]);
      // The colleague wrote the note: they have seen that patient. Admins are not limited.
      expect((await colleague.get(`/api/v1/notes/${theirs.id}`)).status).toBe(200);
      expect((await admin.get(`/api/v1/notes/${theirs.id}`)).status).toBe(200);
      // The settings page keeps the choice.
      const page = await admin.text(await admin.get('/staff/settings'));
      expect(page).toMatch(/name="notesOfSeenPatientsOnly"[^>]*checked/);
    } finally {
      await setting(false);
    }
    expect((await doctor.get(`/api/v1/notes/${theirs.id}`)).status).toBe(200);
  });
});

/** An ISO start at `hour`:00 (Paris) on the next Monday to Friday at least two days ahead. */
function nextWeekday(hour: number): string {
  const d = new Date(Date.now() + 2 * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  const day = d.toISOString().slice(0, 10);
  return `${day}T${String(hour).padStart(2, '0')}:00:00+01:00`;
}
