import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { signNoteOnPage, startNoteFromList } from '../../testing/note-templates.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

/**
 * "Notes to finish" on Today and in the Inbox, and Today's "Write note" links: a draft begun
 * yesterday shows for its author only — not for another practitioner, not for the front desk —
 * and a signed note never. Runs on the suite's dialect.
 */
describe('notes to finish on Today and in the Inbox', () => {
  let { app, clinic, doctor, colleague, desk } = {} as ClinicStaffWorld;
  let ana: string;
  let cleo: string;
  let draftPage: string;
  let signedPage: string;

  beforeAll(async () => {
    ({ app, clinic, doctor, colleague, desk } = await clinicStaffWorld());
    ana = (await patientOnRecord(app, { firstName: 'Ana', lastName: 'Quill' })).id;
    cleo = (await patientOnRecord(app, { firstName: 'Cleo', lastName: 'Signed' })).id;
    app.clock.advance(-24 * 3600_000);
    try {
      draftPage = await startNoteFromList(doctor, ana);
      signedPage = await startNoteFromList(doctor, cleo);
      await signNoteOnPage(doctor, signedPage, 1, {
        'a.subjective': 'Back pain',
        'a.assessment': 'Strain',
        'a.plan': 'Rest',
      });
    } finally {
      app.clock.advance(24 * 3600_000);
    }
  });
  afterAll(() => app.destroy());

  it('shows the author their draft from yesterday on Today and in the Inbox, not the signed note', async () => {
    for (const path of ['/staff', '/staff/inbox']) {
      const html = await doctor.text(await doctor.get(path));
      expect(html).toContain('Notes to finish (1)');
      expect(html).toContain(`href="${draftPage}"`);
      expect(html).toContain('Ana Quill');
      expect(html).toContain('SOAP note');
      expect(html).not.toContain(`href="${signedPage}"`);
      expect(html).not.toContain('Cleo Signed');
    }
  });

  it('shows neither another practitioner nor the front desk', async () => {
    // The Inbox keeps the section (empty) for a member who writes notes, like its others.
    const otherToday = await colleague.text(await colleague.get('/staff'));
    expect(otherToday).not.toContain('Notes to finish');
    const otherInbox = await colleague.text(await colleague.get('/staff/inbox'));
    expect(otherInbox).toContain('Notes to finish (0)');
    for (const html of [otherToday, otherInbox]) {
      expect(html).not.toContain(draftPage);
      expect(html).not.toContain('Ana Quill');
    }
    for (const path of ['/staff', '/staff/inbox']) {
      const html = await desk.text(await desk.get(path));
      expect(html).not.toContain('Notes to finish');
      expect(html).not.toContain(draftPage);
    }
  });

  it('links each of the practitioner’s appointments today to its note', async () => {
    const now = app.clock.now().getTime();
    const booked = await bookAppointment(app, clinic, ana, new Date(now + 3 * 3600_000).toISOString());
    const own = await doctor.text(await doctor.get('/staff'));
    expect(own).toContain(`href="/staff/patients/${ana}/notes/for-appointment/${booked.id}"`);
    expect(own).toContain('Write note');
    const front = await desk.text(await desk.get('/staff'));
    expect(front).toContain('Ana Quill');
    expect(front).not.toContain('Write note');
  });

  it('audits the read of the notes to finish', async () => {
    const before = (await app.deps.audit.list({ limit: 1000 })).filter(
      (r) => r.action === 'note.list-to-finish',
    );
    await doctor.get('/staff/inbox');
    const after = (await app.deps.audit.list({ limit: 1000 })).filter(
      (r) => r.action === 'note.list-to-finish',
    );
    expect(after.length).toBeGreaterThan(before.length);
  });
});
