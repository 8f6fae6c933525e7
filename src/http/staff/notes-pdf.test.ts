import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { signNote, starterTemplates, writeNote } from '../../testing/note-templates.ts';
import { pdfText } from '../../testing/pdf-text.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

/**
 * A note and a chart's notes as PDFs (issue 17): read back, they hold the clinic's header, the
 * patient, each signed note's answers, who signed it with its hash, and the addenda; the chart's
 * leaves drafts out, oldest note first; the front desk is refused, a note under another chart is
 * not found, and every note printed is an audited read. Runs on the suite's dialect.
 */
describe('notes as PDF', () => {
  let { app, doctor, desk } = {} as ClinicStaffWorld;
  let ana: string;
  let ben: string;
  let soapId: string;

  beforeAll(async () => {
    ({ app, doctor, desk } = await clinicStaffWorld());
    ana = (await patientOnRecord(app, { firstName: 'Ana', lastName: 'Lima' })).id;
    ben = (await patientOnRecord(app, { firstName: 'Ben' })).id;
    soapId = (await starterTemplates<{ id: string; name: string }>(doctor)).soap.id;
  });
  afterAll(() => app.destroy());

  const note = async (answers: Record<string, unknown>, sign: boolean) => {
    app.clock.advance(60_000); // one note after the other (the staff session stays alive)
    const { id } = await writeNote(doctor, ana, { templateId: soapId, answers });
    if (sign) await signNote(doctor, id);
    return id;
  };
  const pdfOf = async (path: string) => {
    const res = await doctor.get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    return { pages: (await PDFDocument.load(bytes)).getPageCount(), text: pdfText(bytes) };
  };
  const full = { assessment: 'Patellofemoral pain', plan: 'Home exercises' };

  it('prints one note with its answers, signature line, hash and addenda', async () => {
    const id = await note({ subjective: 'Knee pain for 3 weeks', ...full }, true);
    const addendum = await doctor.json('POST', `/api/v1/notes/${id}/addenda`, { text: 'X-ray normal.' });
    expect(addendum.status).toBe(201);
    // The note's page and the chart's notes link their PDFs.
    expect(await doctor.text(await doctor.get(`/staff/patients/${ana}/notes/${id}`))).toContain(
      `href="/staff/patients/${ana}/notes/${id}/pdf"`,
    );
    expect(await doctor.text(await doctor.get(`/staff/patients/${ana}/notes`))).toContain(
      `href="/staff/patients/${ana}/notes.pdf"`,
    );
    const { pages, text } = await pdfOf(`/staff/patients/${ana}/notes/${id}/pdf`);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain('Patient: Ana Lima');
    expect(text).toContain('SOAP note (version 1)');
    expect(text).toContain('Knee pain for 3 weeks');
    expect(text).toContain('Patellofemoral pain');
    expect(text).toMatch(/Signed .* by /);
    expect(text).toMatch(/SHA-256 [0-9a-f]{64}/);
    expect(text).not.toContain('DOES NOT MATCH');
    expect(text).toContain('X-ray normal.');

    // Under another patient's chart: not found. The front desk: refused.
    expect((await doctor.get(`/staff/patients/${ben}/notes/${id}/pdf`)).status).toBe(404);
    expect((await desk.get(`/staff/patients/${ana}/notes/${id}/pdf`)).status).toBe(403);
    expect((await desk.get(`/staff/patients/${ana}/notes.pdf`)).status).toBe(403);
  });

  it('prints the chart: every signed note oldest first, no drafts; each note read is audited', async () => {
    const second = await note({ subjective: 'Better, still sore on stairs', ...full }, true);
    await note({ subjective: 'DRAFT-NOT-PRINTED', ...full }, false);
    const before = (await app.deps.audit.list({ limit: 500 })).filter((r) => r.action === 'note.read').length;
    const { text } = await pdfOf(`/staff/patients/${ana}/notes.pdf`);
    expect(text).toContain('Treatment notes');
    expect(text.indexOf('Knee pain for 3 weeks')).toBeGreaterThan(-1);
    expect(text.indexOf('Knee pain for 3 weeks')).toBeLessThan(text.indexOf('Better, still sore on stairs'));
    expect(text).not.toContain('DRAFT-NOT-PRINTED');
    const reads = (await app.deps.audit.list({ limit: 500 })).filter((r) => r.action === 'note.read');
    expect(reads.length - before).toBe(2);
    expect(reads.some((r) => r.entityId === second)).toBe(true);

    // A chart without signed notes still prints, saying so.
    const empty = await pdfOf(`/staff/patients/${ben}/notes.pdf`);
    expect(empty.text).toContain('no signed notes');
  });
});
