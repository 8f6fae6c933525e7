import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { signNoteOnPage, startNoteFromList } from '../../testing/note-templates.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

/**
 * The staff notes pages over HTTP (the Chromium walk is test/browser/staff-notes.test.ts): the
 * front desk's count, a posted form turned into answers, the htmx autosave's status line and its
 * refusal of a stale version, signing behind a confirmation, and a note asked for under another
 * patient's chart. Runs on the suite's dialect.
 */
describe('staff notes pages', () => {
  let { app, clinic, doctor, desk } = {} as ClinicStaffWorld;
  let ana: string;
  let ben: string;

  beforeAll(async () => {
    ({ app, clinic, doctor, desk } = await clinicStaffWorld());
    ana = (await patientOnRecord(app, { firstName: 'Ana' })).id;
    ben = (await patientOnRecord(app, { firstName: 'Ben' })).id;
  });
  afterAll(() => app.destroy());

  const htmx = { 'hx-request': 'true' };

  it('starts a note from the list, autosaves with the version, refuses a stale one, signs after confirming', async () => {
    const page = await startNoteFromList(doctor, ana);
    expect(page).toMatch(new RegExp(`^/staff/patients/${ana}/notes/[0-9a-f-]+$`));
    await doctor.text(await doctor.get(page));

    const saved = await doctor.post(
      `${page}/save`,
      {
        version: '1',
        'a.subjective': 'Knee pain\nfor 3 weeks',
        'a.vitals.weightKg': '80',
        'a.vitals.heightCm': '180',
        'a.plan': '',
      },
      htmx,
    );
    expect(saved.status).toBe(200);
    const status = await saved.text();
    expect(status).toContain('id="note-status"');
    expect(status).toContain('name="version" value="2"');
    const stale = await doctor.post(`${page}/save`, { version: '1', 'a.subjective': 'Other tab' }, htmx);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('Not saved');
    const bad = await doctor.post(`${page}/save`, { version: '2', 'a.vitals.pulse': 'fast' }, htmx);
    expect(bad.status).toBe(422);
    const noteId = page.split('/').at(-1)!;
    const stored = (
      await app.deps.notes.read({ type: 'staff', id: (await staffId('p1@clinic.example'))! }, noteId)
    ).note;
    expect(stored).toMatchObject({
      version: 2,
      answers: { subjective: 'Knee pain\nfor 3 weeks', vitals: { weightKg: 80, heightCm: 180, bmi: 24.7 } },
    });

    // "Sign…" saves what the form holds, then asks; signing needs the required fields.
    const confirm = await signNoteOnPage(doctor, page, 2, {
      'a.subjective': 'Knee pain\nfor 3 weeks',
      'a.assessment': 'PFPS',
      'a.plan': 'Exercises',
    });
    expect(confirm).toContain('Sign this note?');
    const read = await doctor.text(await doctor.get(`${page}?notice=signed`));
    expect(read).toContain('Knee pain<br/>for 3 weeks');
    expect(read).not.toContain('name="a.subjective"');
    const after = await doctor.post(`${page}/save`, { version: '4', 'a.plan': 'x' }, htmx);
    expect(after.status).toBe(409);
  });

  it('"Sign…" with a required field empty saves the draft and names the field instead of asking to sign', async () => {
    const page = await startNoteFromList(doctor, ben);
    const ask = await doctor.post(`${page}/sign`, {
      version: '1',
      'a.subjective': 'Sore shoulder',
      'a.assessment': '',
      'a.plan': 'Rest',
    });
    expect(ask.status).toBe(422);
    const html = await doctor.text(ask);
    expect(html).not.toContain('Sign this note?');
    expect(html).toContain('Answer the required fields before signing.');
    expect(html).toContain('Assessment: required.');
    expect(html).toContain('name="version" value="2"'); // saved: the form carries on from there
    expect(html).toContain('Sore shoulder');
  });

  it('gives the front desk the count only, and answers 404 for a note under another patient’s chart', async () => {
    const listed = await desk.text(await desk.get(`/staff/patients/${ana}/notes`));
    expect(listed).toContain('1 note');
    expect(listed).not.toContain('SOAP note');
    expect(listed).not.toContain('Start the note');
    const notes = await app.deps.notes.listOfPatient(
      { type: 'staff', id: await staffId('p1@clinic.example') },
      ana,
    );
    const noteId = notes.notes![0]!.id;
    expect((await desk.get(`/staff/patients/${ana}/notes/${noteId}`)).status).toBe(403);
    expect((await doctor.get(`/staff/patients/${ben}/notes/${noteId}`)).status).toBe(404);
    expect((await doctor.get(`/staff/patients/${ana}/notes/${noteId}`)).status).toBe(200);
  });

  it('offers the patient’s appointments of the last 30 days and the next day for a new note', async () => {
    const today = await bookAppointment(app, clinic, ben, '2026-03-02T13:00:00.000Z');
    const inTwoDays = await bookAppointment(app, clinic, ben, '2026-03-04T09:00:00.000Z');
    const list = await doctor.text(await doctor.get(`/staff/patients/${ben}/notes`));
    expect(list).toContain(`<option value="${today.id}">Mon 2 Mar 2026, 14:00 · Physiotherapy</option>`);
    expect(list).not.toContain(inTwoDays.id);
  });

  const staffId = async (email: string) =>
    (await app.deps.staff.accounts.list()).find((m) => m.email === email)!.id;
});
